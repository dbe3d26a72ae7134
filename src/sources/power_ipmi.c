#include "glass/source_ipmi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <freeipmi/freeipmi.h>

#include "glass/escape.h"
#include "glass/source_host.h"
#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* One request, with retransmissions, gives up after SESSION_TIMEOUT_MS:
 * a BMC that stops answering fails the sample then, and the poller
 * reports the source unreachable (the snapshot never waits for it). */
#define SESSION_TIMEOUT_MS 4000
#define RETRANSMIT_MS 1000
/* RMCP+ cipher suite 3: HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128 (the one
 * every 2.0 BMC has, and ipmitool's and FreeIPMI's default). */
#define CIPHER_SUITE 3

struct ipmi_priv {
	struct ipmi_target t;
	char *uri;      /* redacted, for errors */
	char *hostname; /* what FreeIPMI is given: bmc[:port] */
	char password[IPMI_PASSWORD_MAX + 1];
	bool has_password;
	char *node_id;
	char *node_name;
	ipmi_ctx_t ctx;
	ipmi_sensor_read_ctx_t sread;
	fiid_obj_t dcmi_rs;
	bool dcmi; /* the BMC answers DCMI Get Power Reading */
	uint8_t record[IPMI_SDR_MAX_RECORD_LENGTH];
	unsigned record_len; /* 0: no sensor picked */
};

static int fail(struct ipmi_priv *p, struct errbuf *err, const char *what, const char *why)
{
	errbuf_set(err, "%s: %s: %s", p->uri, what, why && *why ? why : "failed");
	escape_errbuf(err);
	return -1;
}

static int ipmi_fail(struct ipmi_priv *p, struct errbuf *err, const char *what)
{
	return fail(p, err, what, p->ctx ? ipmi_ctx_errormsg(p->ctx) : NULL);
}

/* DCMI Get Power Reading: the whole system's input power, where the BMC
 * measures it.  1 with watts, 0 when the BMC has no DCMI power reading,
 * -1 with err when the BMC did not answer. */
static int dcmi_read(struct ipmi_priv *p, double *watts, struct errbuf *err)
{
	uint64_t active = 0, current = 0;

	if (!p->dcmi_rs)
		p->dcmi_rs = fiid_obj_create(tmpl_cmd_dcmi_get_power_reading_rs);
	if (!p->dcmi_rs)
		return fail(p, err, "DCMI", "out of memory");
	if (ipmi_cmd_dcmi_get_power_reading(p->ctx, IPMI_DCMI_POWER_READING_MODE_SYSTEM_POWER_STATISTICS,
					    0, p->dcmi_rs) < 0) {
		int e = ipmi_ctx_errnum(p->ctx);
		if (e == IPMI_ERR_COMMAND_INVALID_OR_UNSUPPORTED || e == IPMI_ERR_BAD_COMPLETION_CODE ||
		    e == IPMI_ERR_NOT_FOUND || e == IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT)
			return 0;
		return ipmi_fail(p, err, "DCMI Get Power Reading");
	}
	if (FIID_OBJ_GET(p->dcmi_rs, "power_reading_state.power_measurement", &active) < 0 ||
	    FIID_OBJ_GET(p->dcmi_rs, "current_power", &current) < 0)
		return fail(p, err, "DCMI Get Power Reading", "a short answer");
	if (!active)
		return 0; /* the BMC has the command but measures nothing */
	*watts = (double)current;
	return 1;
}

/* How well an SDR sensor's name says "the whole machine's input power":
 * higher is better; PSU outputs and single components come last. */
static int sensor_rank(const char *name)
{
	static const char *const whole[] = {"total", "system", "sys ", "consumption", "pwr", "input", "in"};
	int best = 1;

	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		const char *w = whole[i];
		for (const char *s = name; *s; s++)
			if (strncasecmp(s, w, strlen(w)) == 0)
				best = best > 10 - (int)i ? best : 10 - (int)i;
	}
	return best;
}

struct pick {
	struct ipmi_priv *p;
	int best;
	char wanted[64];
};

static int pick_sensor(ipmi_sdr_ctx_t sdr, uint8_t type, const void *rec, unsigned len, void *arg)
{
	struct pick *k = arg;
	uint8_t pct, mod, rate, base, modunit, code;
	char name[IPMI_SDR_MAX_SENSOR_NAME_LENGTH + 1];

	/* only full records carry the conversion to a number */
	if (type != IPMI_SDR_FORMAT_FULL_SENSOR_RECORD || len > sizeof(k->p->record))
		return 0;
	if (ipmi_sdr_parse_sensor_units(sdr, rec, len, &pct, &mod, &rate, &base, &modunit) < 0 ||
	    base != IPMI_SENSOR_UNIT_WATTS || pct || rate ||
	    ipmi_sdr_parse_event_reading_type_code(sdr, rec, len, &code) < 0 ||
	    code != IPMI_EVENT_READING_TYPE_CODE_THRESHOLD)
		return 0;
	memset(name, 0, sizeof(name));
	if (ipmi_sdr_parse_id_string(sdr, rec, len, name, sizeof(name) - 1) < 0)
		name[0] = '\0';
	int rank = k->wanted[0] ? (strcasecmp(name, k->wanted) == 0 ? 100 : 0) : sensor_rank(name);
	if (rank > k->best) {
		k->best = rank;
		memcpy(k->p->record, rec, len);
		k->p->record_len = len;
	}
	return 0;
}

/* Walks the BMC's SDR repository (through a private cache file, which
 * is how FreeIPMI reads one) for the sensor in watts to read. */
static int find_sensor(struct ipmi_priv *p, struct errbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/glass-sdr-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	ipmi_sdr_ctx_t sdr = ipmi_sdr_ctx_create();
	struct pick k = {.p = p, .best = 0};
	int fd = mkstemp(path);
	int rc = -1;

	p->record_len = 0;
	if (p->t.sensor)
		snprintf(k.wanted, sizeof(k.wanted), "%s", p->t.sensor);
	if (!sdr || fd < 0) {
		fail(p, err, "SDR", fd < 0 ? strerror(errno) : "out of memory");
		goto out;
	}
	close(fd);
	if (ipmi_sdr_cache_create(sdr, p->ctx, path, IPMI_SDR_CACHE_CREATE_FLAGS_OVERWRITE, NULL, NULL) < 0 ||
	    ipmi_sdr_cache_open(sdr, NULL, path) < 0) {
		/* a BMC that stopped answering shows in the ipmi context */
		const char *why = ipmi_ctx_errnum(p->ctx) != IPMI_ERR_SUCCESS ? ipmi_ctx_errormsg(p->ctx)
									   : ipmi_sdr_ctx_errormsg(sdr);
		fail(p, err, "reading the SDR repository", why);
		goto out;
	}
	ipmi_sdr_cache_iterate(sdr, pick_sensor, &k);
	ipmi_sdr_cache_close(sdr);
	if (!p->record_len) {
		if (p->t.sensor)
			fail(p, err, "SDR", "no threshold sensor in watts of that name");
		else
			fail(p, err, "no power reading", "no DCMI power reading and no sensor in watts");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		unlink(path);
	free(path);
	if (sdr)
		ipmi_sdr_ctx_destroy(sdr);
	return rc;
}

static int sensor_read(struct ipmi_priv *p, double *watts, struct errbuf *err)
{
	double *reading = NULL;
	uint8_t raw = 0;
	uint16_t events = 0;
	int rc = ipmi_sensor_read(p->sread, p->record, p->record_len, 0, &raw, &reading, &events);

	if (rc < 0 || !reading) {
		free(reading);
		if (ipmi_ctx_errnum(p->ctx) != IPMI_ERR_SUCCESS)
			return ipmi_fail(p, err, "sensor reading");
		return fail(p, err, "sensor reading", ipmi_sensor_read_ctx_errormsg(p->sread));
	}
	*watts = *reading;
	free(reading);
	return 0;
}

static void ipmi_close(struct source *src)
{
	struct ipmi_priv *p = src->priv;

	if (p->sread)
		ipmi_sensor_read_ctx_destroy(p->sread);
	p->sread = NULL;
	if (p->dcmi_rs)
		fiid_obj_destroy(p->dcmi_rs);
	p->dcmi_rs = NULL;
	if (p->ctx) {
		ipmi_ctx_close(p->ctx);
		ipmi_ctx_destroy(p->ctx);
	}
	p->ctx = NULL;
}

static int ipmi_open(struct source *src, struct errbuf *err)
{
	struct ipmi_priv *p = src->priv;
	const char *pw = p->has_password ? p->password : NULL;
	int rc;

	p->ctx = ipmi_ctx_create();
	if (!p->ctx)
		return fail(p, err, "session", "out of memory");
	switch (p->t.mode) {
	case IPMI_INBAND:
		rc = ipmi_ctx_open_inband(p->ctx, IPMI_DEVICE_OPENIPMI, 0, 0, 0, NULL, 0, IPMI_FLAGS_DEFAULT);
		break;
	case IPMI_LAN:
		rc = ipmi_ctx_open_outofband(p->ctx, p->hostname, p->t.user, pw, IPMI_AUTHENTICATION_TYPE_MD5,
					     IPMI_PRIVILEGE_LEVEL_USER, SESSION_TIMEOUT_MS, RETRANSMIT_MS, 0,
					     IPMI_FLAGS_DEFAULT);
		break;
	default:
		rc = ipmi_ctx_open_outofband_2_0(p->ctx, p->hostname, p->t.user, pw, NULL, 0,
						 IPMI_PRIVILEGE_LEVEL_USER, CIPHER_SUITE, SESSION_TIMEOUT_MS,
						 RETRANSMIT_MS, 0, IPMI_FLAGS_DEFAULT);
		/* Some BMCs (OpenIPMI's ipmi_sim, older Dells) hash the session
		 * keys with the privilege of the Open Session stage: FreeIPMI's
		 * "opensesspriv" workaround, tried when the first way fails so */
		if (rc < 0 && ipmi_ctx_errnum(p->ctx) == IPMI_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED) {
			ipmi_ctx_destroy(p->ctx);
			p->ctx = ipmi_ctx_create();
			if (!p->ctx)
				return fail(p, err, "session", "out of memory");
			rc = ipmi_ctx_open_outofband_2_0(
				p->ctx, p->hostname, p->t.user, pw, NULL, 0, IPMI_PRIVILEGE_LEVEL_USER,
				CIPHER_SUITE, SESSION_TIMEOUT_MS, RETRANSMIT_MS,
				IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE, IPMI_FLAGS_DEFAULT);
		}
		break;
	}
	if (rc < 0) {
		ipmi_fail(p, err, p->t.mode == IPMI_INBAND ? IPMI_INBAND_DEVICE : "session");
		ipmi_close(src);
		return -1;
	}
	p->dcmi = false;
	if (!p->t.sensor) {
		double w;
		int d = dcmi_read(p, &w, err);
		if (d < 0) {
			ipmi_close(src);
			return -1;
		}
		p->dcmi = d == 1;
	}
	if (!p->dcmi) {
		if (find_sensor(p, err) < 0) {
			ipmi_close(src);
			return -1;
		}
		p->sread = ipmi_sensor_read_ctx_create(p->ctx);
		if (!p->sread) {
			ipmi_close(src);
			return fail(p, err, "sensor reading", "out of memory");
		}
		/* a BMC whose sensors another controller owns is read through it */
		ipmi_sensor_read_ctx_set_flags(p->sread, IPMI_SENSOR_READ_FLAGS_BRIDGE_SENSORS);
	}
	return 0;
}

static int ipmi_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct ipmi_priv *p = src->priv;
	double watts = GLASS_UNKNOWN;

	if (p->dcmi) {
		int d = dcmi_read(p, &watts, err);
		if (d == 0)
			return fail(p, err, "DCMI Get Power Reading", "no longer measuring");
		if (d < 0)
			return -1;
	} else if (sensor_read(p, &watts, err) < 0) {
		return -1;
	}
	if (!(watts >= 0))
		return fail(p, err, "power reading", "not a number of watts");
	struct raw_node *n = reading_add_node(out, NODE_HOST, p->node_id, NULL, p->node_name);
	n->power_watts = watts;
	n->power_source = "ipmi";
	return 0;
}

static void ipmi_free(struct source *src)
{
	struct ipmi_priv *p = src->priv;

	explicit_bzero(p->password, sizeof(p->password));
	ipmi_target_done(&p->t);
	free(p->uri);
	free(p->hostname);
	free(p->node_id);
	free(p->node_name);
	free(p);
}

static const struct source_ops ipmi_ops = {
	.kind = "ipmi",
	.open = ipmi_open,
	.sample = ipmi_sample,
	.close = ipmi_close,
	.free = ipmi_free,
};

struct source *source_ipmi_new(const char *uri, const struct ipmi_params *params, struct errbuf *err)
{
	struct ipmi_priv *p = xcalloc(1, sizeof(*p));
	struct source *src;

	if (ipmi_target_parse(uri, &p->t, err) < 0) {
		free(p);
		return NULL;
	}
	p->uri = uri_redact(uri);
	/* no device, or one that is root's: said once, and no source that
	 * would only ever fail */
	if (p->t.mode == IPMI_INBAND && access(IPMI_INBAND_DEVICE, R_OK | W_OK) < 0) {
		int e = errno;
		if (params->notice) {
			struct strbuf sb;
			strbuf_init(&sb);
			escape_terminal(&sb, p->uri);
			fprintf(params->notice, "glass: %s: %s: %s (%s): the host's watts come from the power model\n",
				sb.buf ? sb.buf : "", IPMI_INBAND_DEVICE, strerror(e),
				e == ENOENT ? "no BMC, or the ipmi_si and ipmi_devintf modules are not loaded"
					    : "the BMC's device is root's");
			strbuf_done(&sb);
		}
		struct source tmp = {.priv = p};
		ipmi_free(&tmp);
		return NULL;
	}
	const char *pwfile = p->t.password_file ? p->t.password_file : params->password_file;
	if (p->t.mode != IPMI_INBAND && pwfile) {
		struct errbuf why;
		errbuf_clear(&why);
		if (ipmi_password_read(pwfile, p->password, sizeof(p->password), &why) < 0) {
			errbuf_set(err, "%s: %s", p->uri, why.msg);
			escape_errbuf(err);
			struct source tmp = {.priv = p};
			ipmi_free(&tmp);
			return NULL;
		}
		p->has_password = true;
	}
	if (p->t.address)
		p->hostname = p->t.port ? xasprintf("%s:%s", p->t.address, p->t.port) : xstrdup(p->t.address);
	if (p->t.host_name) {
		p->node_id = xasprintf("host:%s", p->t.host_name);
		p->node_name = xstrdup(p->t.host_name);
	} else {
		p->node_id = source_host_local_id();
		p->node_name = xstrdup(p->node_id + strlen("host:"));
	}
	src = xcalloc(1, sizeof(*src));
	src->ops = &ipmi_ops;
	src->name = xstrdup(p->uri);
	src->priv = p;
	return src;
}
