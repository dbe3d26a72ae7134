/* glass -b --by owner: the chargeback report (chargeback.h) in text, JSON,
 * CSV and Prometheus.  Each has a row per owner, the unowned holders'
 * row, and a total that is the sum of the rows and equals the site's
 * rollup (allocated, slack) and the idle line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "glass/chargeback.h"
#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idle.h"
#include "glass/json_view.h"
#include "glass/units.h"
#include "glass/value.h"
#include "glass/view.h"
#include "glass/xalloc.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define OWNER_COL_MIN 9
#define OWNER_COL_MAX 32

/* ---------------------------------------------------------------- text */

/* a column is a character, not a byte: UTF-8 continuation bytes take none */
static size_t columns_of(const char *s)
{
	size_t cols = 0;

	for (const char *p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			cols++;
	return cols;
}

static void pad_right(struct strbuf *out, const char *s, size_t width)
{
	strbuf_adds(out, s);
	for (size_t c = columns_of(s); c < width; c++)
		strbuf_addc(out, ' ');
}

/* A space, then s right-aligned in width columns. */
static void cell(struct strbuf *out, const char *s, size_t width)
{
	strbuf_addc(out, ' ');
	for (size_t c = columns_of(s); c < width; c++)
		strbuf_addc(out, ' ');
	strbuf_adds(out, s);
}

static void cell_num(struct strbuf *out, double v, int decimals, size_t width)
{
	char buf[64];

	units_number(v, decimals, buf, sizeof(buf));
	cell(out, buf, width);
}

static void cell_pct(struct strbuf *out, double ratio, size_t width)
{
	char buf[64];

	if (value_known(ratio))
		snprintf(buf, sizeof(buf), "%.0f%%", ratio * 100.0);
	else
		snprintf(buf, sizeof(buf), "%s", units_unknown());
	cell(out, buf, width);
}

static void cell_gib(struct strbuf *out, double bytes, size_t width)
{
	cell_num(out, value_known(bytes) ? bytes / GIB : bytes, 1, width);
}

/* The owner as a terminal may show it, cut to the column. */
static char *owner_cell(const struct chargeback_row *r)
{
	struct strbuf esc;

	strbuf_init(&esc);
	escape_terminal(&esc, chargeback_row_name(r));
	char *s = strbuf_detach(&esc);
	if (!s)
		s = xstrdup("");
	if (strlen(s) > OWNER_COL_MAX) {
		/* cut on a character boundary */
		size_t cut = OWNER_COL_MAX - 1;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		s[cut] = '\0';
		char *t = xasprintf("%s~", s);
		free(s);
		s = t;
	}
	return s;
}

static void text_row(struct strbuf *out, const struct chargeback_row *r, const char *name,
		     size_t owner_w)
{
	char holders[32];

	pad_right(out, name, owner_w);
	snprintf(holders, sizeof(holders), "%zu", r->holders);
	cell(out, holders, 7);
	cell_num(out, r->cpu.allocated, 1, 8);
	cell_num(out, r->cpu.used, 1, 7);
	cell_num(out, r->cpu.idle, 1, 7);
	cell_pct(out, chargeback_efficiency(&r->cpu), 5);
	cell_gib(out, r->mem.allocated, 9);
	cell_gib(out, r->mem.used, 8);
	cell_gib(out, r->mem.idle, 8);
	cell_pct(out, chargeback_efficiency(&r->mem), 5);
	cell_num(out, r->watts, 0, 6);
	cell_num(out, r->alloc_cost_month, 2, 10);
	cell_num(out, r->idle_cost_month, 2, 10);
	cell_num(out, r->energy_cost_month, 2, 10);
	strbuf_addc(out, '\n');
}

void view_owner_text_render(const struct tree *t, struct strbuf *out)
{
	struct chargeback *cb = chargeback_compute(t);
	char when[40];
	size_t owner_w = OWNER_COL_MIN;
	char **names = xcalloc(cb->n_rows + 1, sizeof(*names));

	for (size_t i = 0; i < cb->n_rows; i++) {
		names[i] = owner_cell(&cb->rows[i]);
		size_t w = columns_of(names[i]);
		if (w > owner_w)
			owner_w = w;
	}
	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	strbuf_addf(out, "glass chargeback by owner  %s  snapshot %llu\n", when,
		    (unsigned long long)t->seq);
	if (t->root->rollup) {
		char *line = idle_summary_line(t->root->rollup, units_is_utf8());
		strbuf_adds(out, line);
		strbuf_addc(out, '\n');
		free(line);
	}
	strbuf_adds(out, "cores and GiB given to the top-level VMs and containers, their average use, "
			 "idle (slack of the idle ones), use/given;\n");
	if (value_known(cb->total.alloc_cost_month) || value_known(cb->total.energy_cost_month)) {
		struct strbuf cur;
		strbuf_init(&cur);
		escape_terminal(&cur, t->currency ? t->currency : "");
		strbuf_addf(out, "costs per month%s%s: allocation x rate, idle x rate, energy\n",
			    t->currency ? " in " : "", cur.buf ? cur.buf : "");
		strbuf_done(&cur);
	} else {
		strbuf_adds(out, "no cost model (cost.core_month, cost.gib_month, cost.kwh): costs unknown\n");
	}
	strbuf_addc(out, '\n');
	pad_right(out, "OWNER", owner_w);
	strbuf_adds(out, " HOLDERS CPU GIVEN    USED    IDLE   EFF MEM GIVEN     USED     IDLE   EFF"
			 "  WATTS  ALLOC/MO   IDLE/MO ENERGY/MO\n");
	for (size_t i = 0; i < cb->n_rows; i++)
		text_row(out, &cb->rows[i], names[i], owner_w);
	if (cb->n_rows == 0)
		strbuf_adds(out, "(no VM or container holds an allocation)\n");
	text_row(out, &cb->total, "total", owner_w);
	for (size_t i = 0; i < cb->n_rows; i++)
		free(names[i]);
	free(names);
	chargeback_free(cb);
}

/* ---------------------------------------------------------------- JSON */

static void json_res(struct json_out *j, const struct chargeback_res *r, bool cpu)
{
	int d = cpu ? 4 : 0;

	json_out_begin_object(j);
	json_out_key(j, cpu ? "allocated_cores" : "allocated_bytes");
	json_out_number(j, r->allocated, d);
	json_out_key(j, cpu ? "measured_cores" : "measured_bytes");
	json_out_number(j, r->measured, d);
	json_out_key(j, cpu ? "used_cores" : "used_bytes");
	json_out_number(j, r->used, d);
	json_out_key(j, cpu ? "idle_cores" : "idle_bytes");
	json_out_number(j, r->idle, d);
	json_out_key(j, "efficiency");
	json_out_number(j, chargeback_efficiency(r), 4);
	json_out_end_object(j);
}

static void json_row(struct json_out *j, const struct chargeback_row *r, const char *name)
{
	json_out_begin_object(j);
	json_out_key(j, "owner");
	json_out_string(j, r->owner);
	json_out_key(j, "name");
	json_out_string(j, name);
	json_out_key(j, "holders");
	json_out_i64(j, (int64_t)r->holders);
	json_out_key(j, "idle_holders");
	json_out_i64(j, (int64_t)r->idle_holders);
	json_out_key(j, "cpu");
	json_res(j, &r->cpu, true);
	json_out_key(j, "memory");
	json_res(j, &r->mem, false);
	json_out_key(j, "power_watts");
	json_out_number(j, r->watts, 1);
	json_out_key(j, "power_unknown_holders");
	json_out_i64(j, (int64_t)r->watts_unknown);
	json_out_key(j, "energy_kwh_per_month");
	json_out_number(j, r->energy_kwh_month, 2);
	json_out_key(j, "allocation_cost_per_month");
	json_out_number(j, r->alloc_cost_month, 2);
	json_out_key(j, "idle_cost_per_month");
	json_out_number(j, r->idle_cost_month, 2);
	json_out_key(j, "energy_cost_per_month");
	json_out_number(j, r->energy_cost_month, 2);
	json_out_end_object(j);
}

void view_owner_json_render(const struct tree *t, struct strbuf *out)
{
	struct chargeback *cb = chargeback_compute(t);
	struct json_out j;

	json_out_init(&j, out);
	json_out_begin_object(&j);
	json_emit_head(&j, t);
	json_out_key(&j, "chargeback");
	json_out_begin_object(&j);
	json_out_key(&j, "owners");
	json_out_begin_array(&j);
	for (size_t i = 0; i < cb->n_rows; i++)
		json_row(&j, &cb->rows[i], chargeback_row_name(&cb->rows[i]));
	json_out_end_array(&j);
	json_out_key(&j, "total");
	json_row(&j, &cb->total, "total");
	json_out_end_object(&j);
	if (t->root->rollup) {
		/* the site's rollup, as in a full snapshot's tree: the total's match */
		json_out_key(&j, "rollup");
		json_emit_rollup(&j, t->root->rollup);
	}
	json_out_end_object(&j);
	strbuf_addc(out, '\n');
	chargeback_free(cb);
}

/* ---------------------------------------------------------------- CSV */

/* A cell a spreadsheet shows as text: a leading = + - @ would make a
 * formula of a name from outside (a label), so it gets a leading '. */
static void csv_text(struct strbuf *out, const char *s)
{
	struct strbuf safe;

	strbuf_init(&safe);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		strbuf_addc(&safe, '\'');
	escape_data(&safe, s);
	csv_add_field(out, safe.buf ? safe.buf : "", safe.len);
	strbuf_done(&safe);
}

static void csv_num(struct strbuf *out, double v, int decimals)
{
	char buf[64];

	strbuf_addc(out, ',');
	if (value_known(v)) {
		snprintf(buf, sizeof(buf), "%.*f", decimals, v);
		strbuf_adds(out, buf);
	}
}

static void csv_row(struct strbuf *out, const char *when, const struct chargeback_row *r,
		    const char *name)
{
	double ce = chargeback_efficiency(&r->cpu), me = chargeback_efficiency(&r->mem);

	csv_text(out, when);
	strbuf_addc(out, ',');
	csv_text(out, name);
	strbuf_addf(out, ",%zu,%zu", r->holders, r->idle_holders);
	csv_num(out, r->cpu.allocated, 3);
	csv_num(out, r->cpu.used, 3);
	csv_num(out, r->cpu.idle, 3);
	csv_num(out, value_known(ce) ? ce * 100.0 : ce, 1);
	csv_num(out, r->mem.allocated / GIB, 3);
	csv_num(out, value_known(r->mem.used) ? r->mem.used / GIB : r->mem.used, 3);
	csv_num(out, r->mem.idle / GIB, 3);
	csv_num(out, value_known(me) ? me * 100.0 : me, 1);
	csv_num(out, r->watts, 1);
	csv_num(out, r->energy_kwh_month, 2);
	csv_num(out, r->alloc_cost_month, 2);
	csv_num(out, r->idle_cost_month, 2);
	csv_num(out, r->energy_cost_month, 2);
	strbuf_adds(out, "\r\n");
}

void view_owner_csv_render(const struct tree *t, bool header, struct strbuf *out)
{
	struct chargeback *cb = chargeback_compute(t);
	char when[40];

	clock_format_rfc3339(t->wall_ns, when, sizeof(when));
	if (header) {
		struct strbuf cur, money;
		strbuf_init(&cur);
		strbuf_init(&money);
		if (t->currency)
			escape_data(&cur, t->currency);
		strbuf_addf(&money, "%s%s per month", cur.buf ? cur.buf : "", cur.buf ? "" : "money");
		strbuf_adds(out, "Time (UTC),Owner,Holders,Idle holders,CPU allocated (cores),"
				 "CPU used (cores),CPU idle (cores),CPU efficiency (%),"
				 "Memory allocated (GiB),Memory used (GiB),Memory idle (GiB),"
				 "Memory efficiency (%),Power (W),Energy (kWh per month)");
		const char *costs[] = {"Allocation cost", "Idle cost", "Energy cost"};
		for (size_t i = 0; i < 3; i++) {
			char *h = xasprintf("%s (%s)", costs[i], money.buf);
			strbuf_addc(out, ',');
			csv_text(out, h);
			free(h);
		}
		strbuf_adds(out, "\r\n");
		strbuf_done(&cur);
		strbuf_done(&money);
	}
	for (size_t i = 0; i < cb->n_rows; i++)
		csv_row(out, when, &cb->rows[i], chargeback_row_name(&cb->rows[i]));
	csv_row(out, when, &cb->total, "Total");
	chargeback_free(cb);
}

/* ---------------------------------------------------------------- Prometheus */

struct owner_family {
	const char *name;
	const char *help;
	double (*get)(const struct chargeback_row *r);
};

#define OWNER_GETTER(fn, expr) \
	static double fn(const struct chargeback_row *r) { return (expr); }
OWNER_GETTER(get_holders, (double)r->holders)
OWNER_GETTER(get_cpu_alloc, r->cpu.allocated)
OWNER_GETTER(get_cpu_used, r->cpu.used)
OWNER_GETTER(get_cpu_idle, r->cpu.idle)
OWNER_GETTER(get_mem_alloc, r->mem.allocated)
OWNER_GETTER(get_mem_used, r->mem.used)
OWNER_GETTER(get_mem_idle, r->mem.idle)
OWNER_GETTER(get_watts, r->watts)
OWNER_GETTER(get_alloc_cost, r->alloc_cost_month)
OWNER_GETTER(get_idle_cost, r->idle_cost_month)
OWNER_GETTER(get_energy_cost, r->energy_cost_month)

static const struct owner_family owner_families[] = {
	{"glass_owner_holders", "Top-level VMs and containers charged to the owner.", get_holders},
	{"glass_owner_cpu_cores_allocated", "Cores the owner's top-level holders were given.",
	 get_cpu_alloc},
	{"glass_owner_cpu_cores_used", "Average cores the owner's holders use (the idle window).",
	 get_cpu_used},
	{"glass_owner_cpu_cores_idle", "Slack of the owner's idle holders (cores).", get_cpu_idle},
	{"glass_owner_memory_bytes_allocated", "Bytes the owner's top-level holders were given.",
	 get_mem_alloc},
	{"glass_owner_memory_bytes_used", "Average bytes the owner's holders use.", get_mem_used},
	{"glass_owner_memory_bytes_idle", "Slack of the owner's idle holders (bytes).", get_mem_idle},
	{"glass_owner_power_watts", "Watts the owner's holders burn (attributed).", get_watts},
	{"glass_owner_allocation_cost_per_month", "Allocation x rate per month (cost model).",
	 get_alloc_cost},
	{"glass_owner_idle_cost_per_month", "Idle (slack) x rate per month (cost model).",
	 get_idle_cost},
	{"glass_owner_energy_cost_per_month", "Energy cost per month (cost.kwh).", get_energy_cost},
};

void view_owner_prom_render(const struct tree *t, struct strbuf *out)
{
	struct chargeback *cb = chargeback_compute(t);

	for (size_t f = 0; f < sizeof(owner_families) / sizeof(owner_families[0]); f++) {
		const struct owner_family *fam = &owner_families[f];
		prom_family_head(out, fam->name, fam->help);
		for (size_t i = 0; i < cb->n_rows; i++) {
			double v = fam->get(&cb->rows[i]);
			if (!value_known(v))
				continue; /* unknown is no sample, never 0 */
			strbuf_addf(out, "%s{", fam->name);
			prom_add_label(out, "owner", chargeback_row_name(&cb->rows[i]), true);
			strbuf_addc(out, '}');
			prom_add_value(out, v);
		}
	}
	chargeback_free(cb);
}
