#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/idle_label.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/view.h"

#define NAME_WIDTH 34

/* Display columns of a UTF-8 string: one per character (wide glyphs are
 * rare in names; an escaped name is ASCII anyway). */
static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void add_col(struct strbuf *out, const char *s, size_t width)
{
	size_t w = display_width(s);

	if (w < width)
		strbuf_pad(out, width - w);
	strbuf_adds(out, s);
}

static void render_header(const struct tree *t, struct strbuf *out)
{
	char when[40];
	size_t counts[4] = {0};

	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	strbuf_addf(out, "glass %s  %s  interval %gs  snapshot %llu  nodes %zu\n", PACKAGE_VERSION,
		    when, t->interval_s, (unsigned long long)t->seq, t->n_nodes);
	for (size_t i = 0; i < t->n_sources; i++)
		counts[t->sources[i].health]++;
	strbuf_adds(out, "sources:");
	for (int h = HEALTH_CONNECTING; h <= HEALTH_UNREACHABLE; h++)
		if (counts[h])
			strbuf_addf(out, " %zu %s", counts[h], health_name((enum health)h));
	strbuf_addc(out, '\n');
	if (t->root->rollup) {
		char *line = idle_summary_line(t->root->rollup, units_is_utf8());
		strbuf_adds(out, line);
		strbuf_addc(out, '\n');
		free(line);
	}
	for (size_t i = 0; i < t->n_sources; i++) {
		const struct tree_source *s = &t->sources[i];

		if (s->health == HEALTH_OK)
			continue;
		strbuf_adds(out, "  ");
		escape_terminal(out, s->name);
		strbuf_addf(out, ": %s", health_name(s->health));
		if (s->reason) {
			strbuf_adds(out, ": ");
			escape_terminal(out, s->reason);
		}
		if (s->next_retry_wall_ns) {
			char retry[40];
			clock_format_rfc3339(s->next_retry_wall_ns, retry, sizeof(retry));
			strbuf_addf(out, " (retry at %s)", retry);
		}
		strbuf_addc(out, '\n');
	}
}

static void render_columns(struct strbuf *out)
{
	strbuf_adds(out, "NAME");
	strbuf_pad(out, NAME_WIDTH - 4);
	strbuf_adds(out, " KIND       STATE     CPU_ALLOC  CPU_USED  MEM_ALLOC  MEM_USED"
			 "  DISK_R/s  DISK_W/s    NET_RX/s    NET_TX/s  IDLE\n");
}

static void render_host_extras(const struct node *n, int depth, struct strbuf *out)
{
	char a[32], b[32], c[32];
	size_t indent = (size_t)depth * 2 + 4;

	if (value_known(n->res.load[0])) {
		units_number(n->res.load[0], 2, a, sizeof(a));
		units_number(n->res.load[1], 2, b, sizeof(b));
		units_number(n->res.load[2], 2, c, sizeof(c));
		strbuf_pad(out, indent);
		strbuf_addf(out, "load %s %s %s", a, b, c);
		units_bytes(n->res.swap_bytes_used, a, sizeof(a));
		units_bytes(n->res.swap_bytes_total, b, sizeof(b));
		strbuf_addf(out, "  swap %s of %s", a, b);
		units_bytes(n->res.mem_bytes_available, a, sizeof(a));
		strbuf_addf(out, "  mem available %s\n", a);
	}
	for (size_t i = 0; i < n->n_fs; i++) {
		const struct node_fs *f = &n->fs[i];

		units_bytes(f->used_bytes, a, sizeof(a));
		units_bytes(f->size_bytes, b, sizeof(b));
		strbuf_pad(out, indent);
		strbuf_adds(out, "fs ");
		escape_terminal(out, f->mount);
		strbuf_addf(out, "  %s of %s", a, b);
		if (f->fs_type) {
			strbuf_adds(out, " (");
			escape_terminal(out, f->fs_type);
			strbuf_addc(out, ')');
		}
		strbuf_addc(out, '\n');
	}
}

static void render_node(const struct node *n, int depth, void *arg)
{
	struct strbuf *out = arg;
	struct strbuf name;
	char v[8][32];

	strbuf_init(&name);
	for (int i = 0; i < depth; i++)
		strbuf_adds(&name, "  ");
	escape_terminal(&name, n->name);
	strbuf_adds(out, name.buf);
	size_t w = display_width(name.buf);
	strbuf_pad(out, w < NAME_WIDTH ? NAME_WIDTH - w : 1);
	strbuf_done(&name);

	strbuf_addf(out, " %-10s ", node_kind_name(n->kind));
	struct strbuf state;
	strbuf_init(&state);
	if (n->state)
		escape_terminal(&state, n->state);
	if (n->stale)
		strbuf_adds(&state, state.len ? "/stale" : "stale");
	strbuf_addf(out, "%-9s", state.len ? state.buf : "");
	strbuf_done(&state);

	if (n->kind == NODE_SITE) {
		strbuf_addc(out, '\n');
		return;
	}
	units_cores(n->res.cpu_cores_allocated, v[0], sizeof(v[0]));
	units_cores(n->res.cpu_cores_used, v[1], sizeof(v[1]));
	units_bytes(n->res.mem_bytes_allocated, v[2], sizeof(v[2]));
	units_bytes(n->res.mem_bytes_used, v[3], sizeof(v[3]));
	units_bytes(n->res.disk_read_bps, v[4], sizeof(v[4]));
	units_bytes(n->res.disk_write_bps, v[5], sizeof(v[5]));
	units_bytes(n->res.net_rx_bps, v[6], sizeof(v[6]));
	units_bytes(n->res.net_tx_bps, v[7], sizeof(v[7]));
	static const size_t widths[8] = {10, 10, 11, 10, 10, 10, 12, 12};
	for (int i = 0; i < 8; i++)
		add_col(out, v[i], widths[i]);
	char idle[64];
	idle_label(n, idle, sizeof(idle));
	if (*idle)
		strbuf_addf(out, "  %s", idle);
	strbuf_addc(out, '\n');
	if (n->kind == NODE_HOST)
		render_host_extras(n, depth, out);
}

void view_text_render(const struct tree *t, struct strbuf *out)
{
	render_header(t, out);
	render_columns(out);
	tree_walk(t->root, 0, render_node, out);
}
