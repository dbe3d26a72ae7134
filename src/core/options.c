#include "glass/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

#define INTERVAL_MIN_S 0.01
#define INTERVAL_MAX_S 86400.0

enum long_only {
	OPT_FORMAT = 256,
	OPT_NO_LOCAL,
	OPT_THEME,
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
	{"theme", required_argument, NULL, OPT_THEME},
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
	"      --format=FORMAT     text or json (JSON Lines when N > 1)\n"
	"  -o, --output=FILE       write each snapshot to FILE atomically\n"
	"                          (a temporary file renamed over FILE; implies -b)\n"
	"  -c, --connect=URI       also watch the libvirt hypervisor at URI\n"
	"                          (repeatable; not read yet in this version)\n"
	"  -C, --config=FILE       read FILE instead of the default config\n"
	"      --no-local          do not watch the local host\n"
	"      --theme=NAME        interactive colours: default, mono, light, or\n"
	"                          a theme file's path (NO_COLOR is honoured)\n"
	"  -h, --help              show this help and exit\n"
	"  -V, --version           show the version and exit\n"
	"\n"
	"Config: $XDG_CONFIG_HOME/glass/glassrc (else ~/.config/glass/glassrc),\n"
	"then /etc/glass/glassrc; `key = value` lines (interval, format, theme).\n"
	"Interactive keys: F1 or ? in glass, and glass(1).\n"
	"Exit status: 0 ok, 1 nothing could be sampled, 2 usage or config error.\n"
	"See glass(1).\n";

const char *options_help_text(void)
{
	return help_text;
}

void options_init(struct options *o)
{
	*o = (struct options){
		.iterations = 1,
		.interval_s = 2.0,
		.format = FORMAT_TEXT,
	};
}

void options_done(struct options *o)
{
	free(o->output_path);
	free(o->config_path);
	free(o->theme);
	for (size_t i = 0; i < o->n_uris; i++)
		free(o->uris[i]);
	free(o->uris);
	options_init(o);
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

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_JSON] = "json",
};

const char *options_format_name(enum output_format f)
{
	return format_names[f];
}

int options_parse_format(const char *s, enum output_format *out, struct errbuf *err)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return errbuf_set(err, "unknown format '%s': expected text or json", s);
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

static void set_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

enum options_result options_parse(struct options *o, int argc, char **argv, struct errbuf *err)
{
	int c;

	opterr = 0; /* glass words its own errors */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hVbn:d:o:C:c:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help_text, stdout);
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
			set_string(&o->output_path, optarg);
			break;
		case 'C':
			set_string(&o->config_path, optarg);
			break;
		case 'c':
			options_add_uri(o, optarg);
			break;
		case OPT_NO_LOCAL:
			o->no_local = true;
			break;
		case OPT_THEME:
			if (options_parse_theme(optarg, &o->theme, err) < 0)
				return OPTIONS_ERROR;
			o->set_on_cli |= OPTSET_THEME;
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
