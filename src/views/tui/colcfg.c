#include "glass/tui/colcfg.h"

#include <string.h>

#include "glass/xalloc.h"

static const char *const col_keys[TUI_COL_COUNT] = {
	[TUI_COL_NAME] = "name",         [TUI_COL_KIND] = "kind",
	[TUI_COL_STATE] = "state",       [TUI_COL_CPU_ALLOC] = "cpu",
	[TUI_COL_CPU_USED] = "cpu_used", [TUI_COL_CPU_BAR] = "cpu_bar",
	[TUI_COL_MEM_ALLOC] = "mem",     [TUI_COL_MEM_USED] = "mem_used",
	[TUI_COL_MEM_BAR] = "mem_bar",   [TUI_COL_DISK_R] = "disk_r",
	[TUI_COL_DISK_W] = "disk_w",     [TUI_COL_NET_RX] = "net_rx",
	[TUI_COL_NET_TX] = "net_tx",     [TUI_COL_WATTS] = "watts",
	[TUI_COL_IDLE] = "idle",
};

/* The sorts by the same names as their columns. */
/* Each sort: the column it sorts by (whose config name is the sort's in
 * tui.sort) and the words the status bar shows. */
static const struct {
	enum tui_col col;
	const char *shown;
} sorts[TUI_SORT_COUNT] = {
	[TUI_SORT_NAME] = {TUI_COL_NAME, "name"},
	[TUI_SORT_KIND] = {TUI_COL_KIND, "kind"},
	[TUI_SORT_STATE] = {TUI_COL_STATE, "state"},
	[TUI_SORT_CPU_ALLOC] = {TUI_COL_CPU_ALLOC, "cpu allocated"},
	[TUI_SORT_CPU_USED] = {TUI_COL_CPU_USED, "cpu used"},
	[TUI_SORT_MEM_ALLOC] = {TUI_COL_MEM_ALLOC, "memory allocated"},
	[TUI_SORT_MEM_USED] = {TUI_COL_MEM_USED, "memory used"},
	[TUI_SORT_DISK] = {TUI_COL_DISK_R, "disk"},
	[TUI_SORT_NET] = {TUI_COL_NET_RX, "network"},
	[TUI_SORT_WATTS] = {TUI_COL_WATTS, "watts"},
	[TUI_SORT_IDLE] = {TUI_COL_IDLE, "idle"},
};

enum tui_col tui_sort_column(enum tui_sort s)
{
	return sorts[s].col;
}

const char *tui_sort_name(enum tui_sort s)
{
	return sorts[s].shown;
}

bool tui_sort_starts_descending(enum tui_sort s)
{
	/* Numbers biggest first (htop, systemd-cgtop); words A to Z. */
	return s != TUI_SORT_NAME && s != TUI_SORT_KIND && s != TUI_SORT_STATE;
}

const char *tui_col_key(enum tui_col c)
{
	return col_keys[c];
}

size_t tui_columns_default(enum tui_col *order)
{
	size_t n = 0;

	for (int c = 0; c < TUI_COL_COUNT; c++)
		if (c != TUI_COL_NAME)
			order[n++] = (enum tui_col)c;
	return n;
}

int tui_columns_parse(const char *s, enum tui_col *order, size_t *n, struct errbuf *err)
{
	bool seen[TUI_COL_COUNT] = {false};
	const char *p = s;

	*n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		char word[32];
		int found = -1;

		while (len && p[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof(word))
			return errbuf_set(err, "invalid columns '%.60s': expected names like cpu,cpu_used,idle", s);
		memcpy(word, p, len);
		word[len] = '\0';
		for (int c = 1; c < TUI_COL_COUNT; c++)
			if (strcmp(word, col_keys[c]) == 0)
				found = c;
		if (found < 0)
			return errbuf_set(err, "unknown column '%.32s' (kind, state, cpu, cpu_used, cpu_bar, "
					       "mem, mem_used, mem_bar, disk_r, disk_w, net_rx, net_tx, watts, idle)",
					  word);
		if (seen[found])
			return errbuf_set(err, "column '%s' named twice", word);
		seen[found] = true;
		order[(*n)++] = (enum tui_col)found;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
	}
	return 0;
}

void tui_columns_format(const enum tui_col *order, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addc(out, ',');
		strbuf_adds(out, col_keys[order[i]]);
	}
}

int tui_sort_parse(const char *s, enum tui_sort *sort, bool *descending, struct errbuf *err)
{
	size_t len = strcspn(s, " \t");
	const char *rest = s + len;
	int found = -1;

	while (*rest == ' ' || *rest == '\t')
		rest++;
	for (int i = 0; i < TUI_SORT_COUNT; i++)
		if (strlen(col_keys[sorts[i].col]) == len && strncmp(s, col_keys[sorts[i].col], len) == 0)
			found = i;
	if (found < 0) {
		struct strbuf names;
		strbuf_init(&names);
		for (int i = 0; i < TUI_SORT_COUNT; i++)
			strbuf_addf(&names, "%s%s", i ? ", " : "", col_keys[sorts[i].col]);
		errbuf_set(err, "unknown sort '%.60s' (%s; then ascending or descending)", s, names.buf);
		strbuf_done(&names);
		return -1;
	}
	*sort = (enum tui_sort)found;
	if (!*rest)
		*descending = tui_sort_starts_descending(*sort);
	else if (strcmp(rest, "descending") == 0)
		*descending = true;
	else if (strcmp(rest, "ascending") == 0)
		*descending = false;
	else
		return errbuf_set(err, "invalid sort order '%.60s': ascending or descending", rest);
	return 0;
}

void tui_sort_format(enum tui_sort sort, bool descending, struct strbuf *out)
{
	strbuf_addf(out, "%s %s", col_keys[sorts[sort].col], descending ? "descending" : "ascending");
}
