#include "glass/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/guest_join.h"
#include "glass/node_kind.h"
#include "glass/source_config.h"
#include "glass/strbuf.h"
#include "glass/view_table.h"
#include "glass/xalloc.h"

#define INTERVAL_MIN_S 0.01
#define INTERVAL_MAX_S 86400.0

enum long_only {
	OPT_FORMAT = 256,
	OPT_NO_LOCAL,
	OPT_IDLE,
	OPT_THRESHOLD,
	OPT_WINDOW,
	OPT_FIELDS,
	OPT_FILTER,
	OPT_KIND,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_NO_LIBVIRT,
	OPT_PROCESSES,
	OPT_CGROUP_ROOT,
	OPT_POWERCAP_ROOT,
	OPT_THEME,
	OPT_HISTORY,
	OPT_NO_HISTORY,
	OPT_BY,
	OPT_SERVE,
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"batch", no_argument, NULL, 'b'},
	{"iterations", required_argument, NULL, 'n'},
	{"delay", required_argument, NULL, 'd'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, 'o'},
	{"config", required_argument, NULL, 'C'},
	{"connect", required_argument, NULL, 'c'},
	{"no-local", no_argument, NULL, OPT_NO_LOCAL},
	{"idle", no_argument, NULL, OPT_IDLE},
	{"threshold", required_argument, NULL, OPT_THRESHOLD},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{"filter", required_argument, NULL, OPT_FILTER},
	{"kind", required_argument, NULL, OPT_KIND},
	{"record", required_argument, NULL, OPT_RECORD},
	{"replay", required_argument, NULL, OPT_REPLAY},
	{"no-libvirt", no_argument, NULL, OPT_NO_LIBVIRT},
	{"processes", no_argument, NULL, OPT_PROCESSES},
	{"cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT},
	{"powercap-root", required_argument, NULL, OPT_POWERCAP_ROOT},
	{"theme", required_argument, NULL, OPT_THEME},
	{"history", required_argument, NULL, OPT_HISTORY},
	{"no-history", no_argument, NULL, OPT_NO_HISTORY},
	{"by", required_argument, NULL, OPT_BY},
	{"serve", required_argument, NULL, OPT_SERVE},
	{NULL, 0, NULL, 0},
};

static const char help_text[] =
	"Usage: glass [OPTION]...\n"
	"One live tree of hosts, VMs and containers: what each was given, what it\n"
	"uses, and the capacity that sits idle.\n"
	"\n"
	"  -b, --batch             batch mode: print snapshots, no curses (the\n"
	"                          default when stdout is not a terminal)\n"
	"  -n, --iterations=N      print N snapshots, then exit (default 1;\n"
	"                          0 = until interrupted); interactive: quit\n"
	"                          after N refreshes (default: run until q)\n"
	"  -d, --delay=SECONDS     seconds between snapshots or refreshes,\n"
	"                          fractions allowed (default 2)\n"
	"      --format=FORMAT     @FORMATS@\n"
	"      --fields=LIST       columns for text and csv, e.g. name,cpu_cores_used\n"
	"                          (glass --fields=help lists them; csv always leads\n"
	"                          with time,sequence)\n"
	"      --filter=PATTERN    only nodes whose name or id matches the glob PATTERN\n"
	"                          (and their ancestors in tree formats)\n"
	"      --kind=LIST         only these kinds: site,host,vm,group,container\n"
	"      --record=FILE       also append every snapshot to FILE as a JSON line\n"
	"      --replay=FILE       show a recorded FILE instead of live sources (on a\n"
	"                          terminal: in the interactive view, [ ] step)\n"
	"  -o, --output=FILE       write each snapshot to FILE atomically\n"
	"                          (a temporary file renamed over FILE; implies -b)\n"
	"      --serve=[ADDR:]PORT serve /metrics (Prometheus, OpenMetrics) and\n"
	"                          /snapshot.json over HTTP from the last snapshot;\n"
	"                          ADDR 127.0.0.1 when only a PORT, every address\n"
	"                          for :PORT; implies -b -n 0, no snapshots on stdout\n"
	"  -c, --connect=URI       also watch the libvirt hypervisor at URI, read-only\n"
	"                          (repeatable: qemu:///system, qemu+ssh://h/system,\n"
	"                          test:///default, ...; never prompts)\n"
	"                          glass+ssh://[user@]host[:port] reads a remote host\n"
	"                          and its containers from a glass run there over ssh\n"
	"                          ipmi+lan://[user@]bmc[:port] (or ipmi+lanplus://)\n"
	"                          reads the host's watts from its BMC, the password\n"
	"                          from ipmi.password_file; ipmi:// the local BMC\n"
	"                          prometheus+http://host:port[/prefix] (or +https)\n"
	"                          reads a fleet from Prometheus: glass exporters'\n"
	"                          trees, node_exporter hosts, libvirt exporter VMs,\n"
	"                          cAdvisor (kubelet) pods and containers\n"
	"      --no-libvirt        no hypervisor sources (what a remote glass runs with)\n"
	"      --processes         JSON: the 20 busiest processes of each host,\n"
	"                          container and VM of this machine (what a remote\n"
	"                          glass runs with, for P on the near side)\n"
	"  -C, --config=FILE       read FILE instead of the default config\n"
	"      --no-local          do not watch the local host (nor its cgroups)\n"
	"      --idle              only the nodes flagged idle, biggest waste first,\n"
	"                          with a right-size hint (and cost with a cost model)\n"
	"      --by=owner          chargeback: a row per owner with what its VMs and\n"
	"                          containers were given, use and leave idle, their\n"
	"                          watts and cost per month, and a total row\n"
	"      --threshold=PCT     idle below this average utilization (default 20%)\n"
	"      --window=DURATION   average utilization over this window: 300, 90s,\n"
	"                          5m, 1h, 7d (default 5m; days come from history)\n"
	"      --history=FILE      the history store to read, and to record into\n"
	"                          with -n 0 or --replay (default: read\n"
	"                          /var/lib/glass/history.db as root, else\n"
	"                          $XDG_STATE_HOME/glass/history.db, if it exists)\n"
	"      --no-history        neither read nor write history\n"
	"      --cgroup-root=DIR   read containers from the cgroup tree at DIR\n"
	"                          (v2, v1 or hybrid; default /sys/fs/cgroup);\n"
	"                          read even with --no-local\n"
	"      --powercap-root=DIR read RAPL energy counters under DIR (default\n"
	"                          /sys/class/powercap); read even with --no-local\n"
	"      --theme=NAME        interactive colours: default, mono, light, or\n"
	"                          a theme file's path (NO_COLOR is honoured)\n"
	"  -h, --help              show this help and exit\n"
	"  -V, --version           show the version and exit\n"
	"\n"
	"Config: $XDG_CONFIG_HOME/glass/glassrc (else ~/.config/glass/glassrc),\n"
	"then /etc/glass/glassrc; `key = value` lines: interval, format,\n"
	"idle.threshold, idle.window, history.path, history.retention (default 35d),\n"
	"history.bucket (for a new store; default 5m),\n"
	"cost.core_month, cost.gib_month, cost.currency,\n"
	"hypervisor (a libvirt URI, repeatable), host (a glass+ssh:// URI,\n"
	"repeatable), ipmi (an ipmi:// URI, repeatable), ipmi.password_file,\n"
	"remote.ssh, remote.command, remote.max_nodes,\n"
	"prometheus.user, prometheus.password_file, prometheus.bearer_token_file,\n"
	"cgroup.root, cgroup.docker-root, cgroup.podman-root, cgroup.k8s-log-dir\n"
	"(where container names are read from), theme, tui.columns, tui.sort\n"
	"(the interactive view's columns and sort: its setup screen, F2, writes them),\n"
	"power.idle_watts, power.max_watts (power.GLOB.max_watts for hosts named\n"
	"GLOB), power.pue, cost.kwh, carbon.g_per_kwh,\n"
	"owner.TEAM = GLOB[, GLOB]... (nodes whose id, or vm:HOST/NAME or\n"
	"ct:HOST/NAME, matches are TEAM's; the first rule that matches wins),\n"
	"guest.match (uuid,mac[,name]: how a guest host joins its VM), guest =\n"
	"VM URI (a join by hand: vm:HOST/NAME glass+ssh://host).\n"
	"Interactive keys: F1 or ? in glass, and glass(1).\n"
	"Exit status: 0 ok, 1 nothing could be sampled, the output could not be\n"
	"written or a replay held no snapshot, 2 usage or config error.\n"
	"See glass(1).\n";



/* The defaults, without the sources' settings. */
static void options_reset(struct options *o)
{
	*o = (struct options){
		.iterations = 1,
		.interval_s = 2.0,
		.format = FORMAT_TEXT,
		.idle_threshold = 0.20,
		.idle_window_s = 300.0,
		.cost_core_month = NAN,
		.cost_gib_month = NAN,
		.history_retention_s = 35 * 86400.0,
		.history_bucket_s = 300.0,
		.guest_match = GUEST_MATCH_DEFAULT,
	};
	power_params_init(&o->power);
}

void options_init(struct options *o)
{
	options_reset(o);
	o->source_settings = source_settings_new_all();
}

void options_done(struct options *o)
{
	free(o->output_path);
	free(o->config_path);
	free(o->currency);
	free(o->fields);
	free(o->filter);
	free(o->record_path);
	free(o->replay_path);
	free(o->theme);
	free(o->tui_columns);
	free(o->tui_sort);
	for (size_t i = 0; i < o->n_uris; i++)
		free(o->uris[i]);
	free(o->uris);
	free(o->cgroup_root);
	free(o->history_path);
	free(o->powercap_root);
	free(o->serve_listen);
	source_settings_free_all(o->source_settings);
	power_params_done(&o->power);
	for (size_t i = 0; i < o->n_guests; i++) {
		free(o->guests[i].vm);
		free(o->guests[i].uri);
	}
	free(o->guests);
	owner_rules_done(&o->owner);
	options_reset(o);
}

int options_parse_interval(const char *s, double *out, struct errbuf *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v))
		return errbuf_set(err, "invalid delay '%s': expected seconds, e.g. 2 or 0.5", s);
	if (v < INTERVAL_MIN_S || v > INTERVAL_MAX_S)
		return errbuf_set(err, "invalid delay '%s': must be between %g and %g seconds", s,
				  INTERVAL_MIN_S, INTERVAL_MAX_S);
	*out = v;
	return 0;
}

int options_parse_iterations(const char *s, long *out, struct errbuf *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < 0)
		return errbuf_set(err, "invalid iterations '%s': expected a count >= 0", s);
	*out = v;
	return 0;
}

/* strtod that wants the whole string: 0, or -1. */
static int parse_double(const char *s, double *out, char **unit)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v))
		return -1;
	if (unit)
		*unit = end;
	else if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int options_parse_threshold(const char *s, double *out, struct errbuf *err)
{
	char *unit;
	double v;

	if (parse_double(s, &v, &unit) < 0 || (*unit && strcmp(unit, "%") != 0) || v <= 0 || v > 100)
		return errbuf_set(err, "invalid threshold '%s': expected a percentage in (0, 100], e.g. 20", s);
	*out = v / 100.0;
	return 0;
}

int options_parse_duration(const char *s, double *out, struct errbuf *err)
{
	char *unit;
	double v, scale;

	if (parse_double(s, &v, &unit) < 0)
		return errbuf_set(err, "invalid duration '%s': expected e.g. 300, 90s, 5m, 1h or 7d", s);
	if (*unit == '\0' || strcmp(unit, "s") == 0)
		scale = 1;
	else if (strcmp(unit, "m") == 0)
		scale = 60;
	else if (strcmp(unit, "h") == 0)
		scale = 3600;
	else if (strcmp(unit, "d") == 0)
		scale = 86400;
	else
		return errbuf_set(err, "invalid duration '%s': expected e.g. 300, 90s, 5m, 1h or 7d", s);
	if (v * scale < 1 || v * scale > 86400 * 366)
		return errbuf_set(err, "invalid duration '%s': must be between 1 s and 366 days", s);
	*out = v * scale;
	return 0;
}

int options_parse_kinds(const char *s, unsigned *out, struct errbuf *err)
{
	char *copy = xstrdup(s);
	char *save = NULL;
	unsigned mask = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum node_kind k;

		if (!node_kind_parse(tok, &k)) {
			errbuf_set(err, "unknown kind '%.40s': expected site, host, vm, group or container", tok);
			free(copy);
			return -1;
		}
		mask |= 1u << k;
	}
	free(copy);
	if (!mask)
		return errbuf_set(err, "empty kind list: expected e.g. host,vm,container");
	*out = mask;
	return 0;
}

int options_parse_money(const char *s, double *out, struct errbuf *err)
{
	double v;

	if (parse_double(s, &v, NULL) < 0 || v < 0)
		return errbuf_set(err, "invalid amount '%s': expected a number >= 0", s);
	*out = v;
	return 0;
}

const char *options_format_name(enum output_format f)
{
	return view_type_of(f)->name;
}

int options_parse_format(const char *s, enum output_format *out, struct errbuf *err)
{
	return view_type_find(s, out, err);
}

/* The help text with the formats from the view table, wrapped to 79
 * columns under the option's description.  The caller's string. */
char *options_help(void)
{
	static const char mark[] = "@FORMATS@";
	const char *at = strstr(help_text, mark);
	struct strbuf formats, out;
	size_t col = 26, start = 0;

	strbuf_init(&formats);
	strbuf_init(&out);
	view_types_describe(&formats);
	strbuf_add(&out, help_text, (size_t)(at - help_text));
	while (start < formats.len) {
		size_t end = start, last_space = 0;
		while (end < formats.len && col + (end - start) < 79) {
			if (formats.buf[end] == ' ')
				last_space = end;
			end++;
		}
		if (end < formats.len && last_space > start)
			end = last_space;
		if (start > 0)
			strbuf_adds(&out, "\n                          ");
		strbuf_add(&out, formats.buf + start, end - start);
		start = end < formats.len && formats.buf[end] == ' ' ? end + 1 : end;
	}
	strbuf_adds(&out, at + sizeof(mark) - 1);
	strbuf_done(&formats);
	return strbuf_detach(&out);
}

void options_add_uri(struct options *o, const char *uri)
{
	o->uris = xreallocarray(o->uris, o->n_uris + 1, sizeof(*o->uris));
	o->uris[o->n_uris++] = xstrdup(uri);
}

int options_parse_theme(const char *s, char **out, struct errbuf *err)
{
	if (*s == '\0')
		return errbuf_set(err, "invalid theme '': expected a name, e.g. mono");
	free(*out);
	*out = xstrdup(s);
	return 0;
}

int options_parse_by(const char *s, enum report_by *out, struct errbuf *err)
{
	if (strcmp(s, "owner") == 0) {
		*out = BY_OWNER;
		return 0;
	}
	return errbuf_set(err, "invalid --by '%s': expected owner", s);
}

void options_set_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

int options_parse_path(char **slot, const char *value, struct errbuf *err)
{
	if (value[0] != '/')
		return errbuf_set(err, "'%.60s' is not an absolute path", value);
	options_set_string(slot, value);
	return 0;
}

enum options_result options_parse(struct options *o, int argc, char **argv, struct errbuf *err)
{
	int c;

	opterr = 0; /* glass words its own errors */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hVbn:d:o:C:c:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			{
				char *help = options_help();
				fputs(help, stdout);
				free(help);
			}
			return OPTIONS_EXIT;
		case 'V':
			printf("glass %s\n", PACKAGE_VERSION);
			return OPTIONS_EXIT;
		case 'b':
			o->batch = true;
			break;
		case 'n':
			if (options_parse_iterations(optarg, &o->iterations, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_ITERATIONS;
			break;
		case 'd':
			if (options_parse_interval(optarg, &o->interval_s, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_INTERVAL;
			break;
		case OPT_FORMAT:
			if (options_parse_format(optarg, &o->format, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_FORMAT;
			break;
		case 'o':
			options_set_string(&o->output_path, optarg);
			break;
		case 'C':
			options_set_string(&o->config_path, optarg);
			break;
		case 'c':
			options_add_uri(o, optarg);
			break;
		case OPT_NO_LOCAL:
			o->no_local = true;
			break;
		case OPT_IDLE:
			o->idle_only = true;
			break;
		case OPT_THRESHOLD:
			if (options_parse_threshold(optarg, &o->idle_threshold, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_THRESHOLD;
			break;
		case OPT_FIELDS:
			options_set_string(&o->fields, optarg);
			break;
		case OPT_FILTER:
			options_set_string(&o->filter, optarg);
			break;
		case OPT_KIND:
			if (options_parse_kinds(optarg, &o->kinds, err) < 0)
				return OPTIONS_ERROR;
			break;
		case OPT_RECORD:
			options_set_string(&o->record_path, optarg);
			break;
		case OPT_PROCESSES:
			o->processes = true;
			break;
		case OPT_NO_LIBVIRT:
			o->no_libvirt = true;
			break;
		case OPT_REPLAY:
			options_set_string(&o->replay_path, optarg);
			break;
		case OPT_WINDOW:
			if (options_parse_duration(optarg, &o->idle_window_s, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_WINDOW;
			break;
		case OPT_CGROUP_ROOT:
			options_set_string(&o->cgroup_root, optarg);
			o->set_on_cli |= OPTSET_CGROUP_ROOT;
			break;
		case OPT_POWERCAP_ROOT:
			options_set_string(&o->powercap_root, optarg);
			o->set_on_cli |= OPTSET_POWERCAP_ROOT;
			break;
		case OPT_THEME:
			if (options_parse_theme(optarg, &o->theme, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_THEME;
			break;
		case OPT_HISTORY:
			if (*optarg == '\0') {
				errbuf_set(err, "--history needs a file name");
				return OPTIONS_ERROR;
			}
			options_set_string(&o->history_path, optarg);
			o->history_named = true;
			o->set_on_cli |= OPTSET_HISTORY;
			break;
		case OPT_BY:
			if (options_parse_by(optarg, &o->by, err) < 0)
				return OPTIONS_ERROR;
			break;
		case OPT_NO_HISTORY:
			o->no_history = true;
			break;
		case OPT_SERVE:
			options_set_string(&o->serve_listen, optarg);
			break;
		case ':':
			errbuf_set(err, "option '%s' needs a value (see glass --help)", argv[optind - 1]);
			return OPTIONS_ERROR;
		default:
			if (optopt)
				errbuf_set(err, "unknown option '-%c' (see glass --help)", optopt);
			else
				errbuf_set(err, "unknown option '%s' (see glass --help)", argv[optind - 1]);
			return OPTIONS_ERROR;
		}
	}
	if (optind < argc) {
		errbuf_set(err, "unexpected argument '%s' (see glass --help)", argv[optind]);
		return OPTIONS_ERROR;
	}
	return OPTIONS_RUN;
}
