/* options.h: what the operator asked for, from the command line and the
 * config file (DESIGN.md §4).  The command line wins over the config for
 * single values; lists (hypervisors) gather from both. */
#ifndef GLASS_OPTIONS_H
#define GLASS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/owner.h"
#include "glass/power.h"

/* --by: a report per group of nodes instead of the tree */
enum report_by {
	BY_NONE,
	BY_OWNER, /* chargeback: a row per owner (chargeback.h) */
};

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV,
	FORMAT_PROM,
};

/* Which single-valued options the command line set (config must not
 * override them). */
enum option_set_bit {
	OPTSET_INTERVAL = 1 << 0,
	OPTSET_FORMAT = 1 << 1,
	OPTSET_ITERATIONS = 1 << 2,
	OPTSET_THRESHOLD = 1 << 3,
	OPTSET_WINDOW = 1 << 4,
	OPTSET_CGROUP_ROOT = 1 << 5,
	OPTSET_THEME = 1 << 6,
	OPTSET_HISTORY = 1 << 7,
	OPTSET_POWERCAP_ROOT = 1 << 8,
};

struct options {
	bool batch;
	long iterations;    /* -n: snapshots; 0 = until interrupted */
	double interval_s;  /* -d */
	enum output_format format;
	char *output_path;  /* -o; NULL = stdout */
	char *config_path;  /* -C; NULL = the default search */
	bool no_local;
	char **uris;        /* -c, repeatable */
	size_t n_uris;
	char *theme;        /* --theme; NULL = "default" */
	char *tui_columns;  /* config tui.columns (checked); NULL = every column */
	char *tui_sort;     /* config tui.sort (checked); NULL = by name */
	unsigned set_on_cli; /* enum option_set_bit */
	/* the idle policy (DESIGN.md §3) */
	bool idle_only;          /* --idle: only flagged nodes, biggest waste first */
	double idle_threshold;   /* a fraction: 0.2 = 20% */
	double idle_window_s;
	double cost_core_month;  /* NaN: no cost model */
	double cost_gib_month;
	char *currency;          /* NULL: none named */
	/* choosing what to show (every format) */
	char *fields;            /* --fields: columns for text and csv; NULL = all */
	char *filter;            /* --filter: a glob on name or id */
	unsigned kinds;          /* --kind: a mask of 1 << enum node_kind; 0 = all */
	char *record_path;       /* --record: append each snapshot as a JSON line */
	char *replay_path;       /* --replay: show a recorded file instead of sources */
	bool no_libvirt;         /* --no-libvirt: no hypervisor sources (a remote glass) */
	bool processes;          /* --processes: each local node's busiest processes in JSON */
	/* --cgroup-root: a cgroup tree to read, on even with --no-local
	 * (OPTSET_CGROUP_ROOT); it wins over the config's cgroup.root
	 * (source_cgroup_root()).  NULL: not given. */
	char *cgroup_root;
	/* the history store (history.h): --history or history.path; NULL: the
	 * default path, read only.  A glass records only into a store it was
	 * named (history_named), and only with -n 0 or --replay. */
	char *history_path;
	bool history_named;
	bool no_history;            /* --no-history: neither read nor written */
	double history_retention_s; /* history.retention */
	double history_bucket_s;    /* history.bucket: for a new store */
	/* power: --powercap-root (RAPL fixture or mount; NULL: /sys/class/powercap,
	 * OPTSET_POWERCAP_ROOT) and the power and energy cost model (config) */
	char *powercap_root;
	struct power_params power;
	/* guests (guest_join.h): config guest.match, and the joins made by
	 * hand (config `guest = VM URI`; the URI is a source too) */
	unsigned guest_match;
	struct options_guest {
		char *vm;
		char *uri;
	} *guests;
	size_t n_guests;
	/* chargeback: --by and the owner.TEAM = GLOB rules (config) */
	enum report_by by;
	struct owner_rules owner;
	/* --serve [ADDR:]PORT: answer Prometheus scrapes (serve.h); NULL: no */
	char *serve_listen;
	/* Each source type's own settings, one per source_configs[] entry
	 * (source_config.h): opaque here, read with source_settings(). */
	void **source_settings;
};

enum options_result {
	OPTIONS_RUN,   /* go on */
	OPTIONS_EXIT,  /* help or version printed: exit 0 */
	OPTIONS_ERROR, /* usage error in err: exit 2 */
};

void options_init(struct options *o);
void options_done(struct options *o);
enum options_result options_parse(struct options *o, int argc, char **argv, struct errbuf *err);

/* Value parsers shared with the config file: 0 or -1 with err. */
int options_parse_interval(const char *s, double *out, struct errbuf *err);
int options_parse_iterations(const char *s, long *out, struct errbuf *err);
int options_parse_format(const char *s, enum output_format *out, struct errbuf *err);
const char *options_format_name(enum output_format f);
void options_add_uri(struct options *o, const char *uri);
/* "20" or "20%": a percentage in (0, 100], stored as a fraction. */
int options_parse_threshold(const char *s, double *out, struct errbuf *err);
/* "300", "300s", "5m", "1h", "7d": seconds, at least 1, at most 366 days. */
int options_parse_duration(const char *s, double *out, struct errbuf *err);
/* "host,vm,container" -> a mask of 1 << enum node_kind. */
int options_parse_kinds(const char *s, unsigned *out, struct errbuf *err);
/* A money amount >= 0. */
int options_parse_money(const char *s, double *out, struct errbuf *err);
/* "owner": the report --by names; 0 or -1 with err. */
int options_parse_by(const char *s, enum report_by *out, struct errbuf *err);
/* An absolute path into *slot (an empty or relative one is a mistake,
 * not "none"): 0 or -1 with err.  And any string into *slot. */
int options_parse_path(char **slot, const char *value, struct errbuf *err);
void options_set_string(char **slot, const char *value);
/* A theme name (or a path to a theme file): 0 or -1 with err. */
int options_parse_theme(const char *s, char **out, struct errbuf *err);

/* The text of --help (static). */
/* --help, the formats taken from the view table.  The caller's string. */
char *options_help(void);

#endif
