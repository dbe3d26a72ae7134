/* glass --serve: /metrics, /snapshot.json and / over HTTP with
 * libmicrohttpd, from the last published snapshot.
 *
 * The batch loop renders each snapshot once (publish); scrapes copy the
 * rendered bytes and never touch the model or a source, so a hung
 * hypervisor cannot make a scrape wait.  One internal polling thread
 * serves every connection; the connection limits, timeouts and a small
 * per-connection memory pool keep slow or hostile clients from holding it. */
#include "glass/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "glass/clock.h"
#include "glass/strbuf.h"
#include "glass/view.h"
#include "glass/xalloc.h"

/* Prometheus holds one connection per target; a few readers more (a
 * person with curl, a second Prometheus) fit easily. */
#define CONNECTIONS_MAX 128
/* A client that sends nothing for this long is cut off. */
#define IDLE_TIMEOUT_S 10
/* Request line and headers; Prometheus sends well under 1 KiB. */
#define REQUEST_MEMORY 65536

#define PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* One snapshot rendered for every endpoint; shared by the scrapes that
 * copy it, freed when the last one lets go. */
struct published {
	unsigned refs;
	struct strbuf prom, openmetrics, json;
	uint64_t wall_ns;
};

struct server {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	struct published *current; /* NULL until the first snapshot */
};

static void published_release(struct server *s, struct published *p)
{
	bool last;

	if (!p)
		return;
	pthread_mutex_lock(&s->lock);
	last = --p->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (last) {
		strbuf_done(&p->prom);
		strbuf_done(&p->openmetrics);
		strbuf_done(&p->json);
		free(p);
	}
}

static struct published *published_get(struct server *s)
{
	struct published *p;

	pthread_mutex_lock(&s->lock);
	p = s->current;
	if (p)
		p->refs++;
	pthread_mutex_unlock(&s->lock);
	return p;
}

static int parse_port(const char *s, unsigned *port, struct errbuf *err, const char *spec)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno || v < 1 || v > 65535)
		return errbuf_set(err, "--serve '%s': the port must be a number from 1 to 65535", spec);
	*port = (unsigned)v;
	return 0;
}

static int parse_listen(const char *spec, struct sockaddr_storage *ss, struct errbuf *err)
{
	const char *colon = strrchr(spec, ':');
	unsigned port;
	char host[64];

	memset(ss, 0, sizeof(*ss));
	if (!colon) {
		/* a port alone: this machine only, as the exporter's default */
		if (parse_port(spec, &port, err, spec) < 0)
			return -1;
		snprintf(host, sizeof(host), "127.0.0.1");
	} else {
		size_t len = (size_t)(colon - spec);

		if (parse_port(colon + 1, &port, err, spec) < 0)
			return -1;
		if (len >= sizeof(host))
			return errbuf_set(err, "--serve '%s': expected [ADDR:]PORT with ADDR an IP address", spec);
		memcpy(host, spec, len);
		host[len] = '\0';
	}
	if (host[0] == '\0') {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		in->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (host[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		size_t hl = strlen(host);

		if (hl < 3 || host[hl - 1] != ']')
			return errbuf_set(err, "--serve '%s': an IPv6 address goes in brackets, e.g. [::1]:%u",
					  spec, port);
		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			return errbuf_set(err, "--serve '%s': '%s' is not an IPv6 address", spec, host + 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
		return errbuf_set(err, "--serve '%s': '%s' is not an IP address (e.g. 127.0.0.1:%u, [::1]:%u, :%u)",
				  spec, host, port, port, port);
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	return 0;
}

int serve_parse_listen(const char *spec, struct errbuf *err)
{
	struct sockaddr_storage ss;

	return parse_listen(spec, &ss, err);
}

/* libmicrohttpd's own messages (a client that went away, a limit hit)
 * are about clients, not about glass: a log line per hostile client
 * would let any client fill the journal. */
static void quiet_logger(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
			     char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", xstrdup(text), strlen(text));
}

/* Does the client ask for OpenMetrics (as Prometheus does first in its
 * Accept header)?  "q=0" on that media range is a refusal. */
static bool wants_openmetrics(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	const char *at = accept ? strstr(accept, "application/openmetrics-text") : NULL;

	if (!at)
		return false;
	size_t range = strcspn(at, ",");
	for (const char *q = strstr(at, "q="); q && q < at + range; q = strstr(q + 2, "q=")) {
		if (q[-1] == ';' || q[-1] == ' ')
			return strtod(q + 2, NULL) > 0;
	}
	return true;
}

/* The rendered families and, per scrape, how old the snapshot is. */
static char *metrics_body(const struct published *p, bool om, size_t *len)
{
	const struct strbuf *body = om ? &p->openmetrics : &p->prom;
	double age = (double)(clock_wall_ns() - p->wall_ns) / 1e9;
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_add(&sb, body->buf ? body->buf : "", body->len);
	strbuf_addf(&sb,
		    "# HELP glass_snapshot_age_seconds How old the snapshot this scrape reads is.\n"
		    "# TYPE glass_snapshot_age_seconds gauge\n"
		    "glass_snapshot_age_seconds %.3f\n"
		    "# HELP glass_build_info The glass that serves these metrics.\n"
		    "# TYPE glass_build_info gauge\n"
		    "glass_build_info{version=\"%s\"} 1\n",
		    age < 0 ? 0.0 : age, PACKAGE_VERSION);
	if (om)
		strbuf_adds(&sb, "# EOF\n");
	*len = sb.len;
	return strbuf_detach(&sb);
}

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>glass</title></head><body>\n"
	"<h1>glass</h1>\n<p>Hosts, VMs and containers: what they were given, what they use, "
	"what sits idle.</p>\n<ul>\n"
	"<li><a href=\"/metrics\">/metrics</a>: the Prometheus text format "
	"(OpenMetrics when the Accept header asks for it)</li>\n"
	"<li><a href=\"/snapshot.json\">/snapshot.json</a>: the last snapshot as glass -b "
	"--format json writes it</li>\n</ul>\n</body></html>\n";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct published *p;
	enum MHD_Result rc;
	size_t len;
	char *body;

	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		/* The first call has the headers only: answering now would make
		 * libmicrohttpd close the connection (the request might still
		 * have a body), and Prometheus would reconnect every scrape. */
		*con_cls = s;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* a body is read and dropped */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "glass serves GET and HEAD only\n");
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", xstrdup(index_page),
			     sizeof(index_page) - 1);
	if (strcmp(url, "/metrics") != 0 && strcmp(url, "/snapshot.json") != 0)
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: glass serves /metrics and /snapshot.json\n");
	p = published_get(s);
	if (!p)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot yet: the first comes after one interval\n");
	if (strcmp(url, "/metrics") == 0) {
		bool om = wants_openmetrics(c);

		body = metrics_body(p, om, &len);
		published_release(s, p);
		return reply(c, MHD_HTTP_OK, om ? OPENMETRICS_TYPE : PROM_TYPE, body, len);
	}
	len = p->json.len;
	body = xmalloc(len + 1);
	memcpy(body, p->json.buf ? p->json.buf : "", len);
	published_release(s, p);
	rc = reply(c, MHD_HTTP_OK, "application/json", body, len);
	return rc;
}

struct server *server_start(const char *spec, struct errbuf *err)
{
	struct sockaddr_storage ss;
	struct server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	int fd;

	if (parse_listen(spec, &ss, err) < 0)
		return NULL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Bind here first: libmicrohttpd would only say that it failed, and
	 * the operator needs to know why (in use, not permitted). */
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		errbuf_set(err, "--serve %s: %s", spec, strerror(errno));
		return NULL;
	}
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	socklen_t sl = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		errbuf_set(err, "--serve %s: %s", spec, strerror(errno));
		close(fd);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
				     MHD_OPTION_EXTERNAL_LOGGER, quiet_logger, NULL,
				     MHD_OPTION_END);
	if (!s->daemon) {
		errbuf_set(err, "--serve %s: the HTTP server did not start", spec);
		close(fd);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	return s;
}

void server_publish(struct server *s, const struct tree *t)
{
	struct published *p = xcalloc(1, sizeof(*p)), *old;

	p->refs = 1;
	p->wall_ns = t->wall_ns;
	strbuf_init(&p->prom);
	strbuf_init(&p->openmetrics);
	strbuf_init(&p->json);
	view_prom_render(t, &p->prom);
	view_openmetrics_render_body(t, &p->openmetrics);
	view_json_render(t, &p->json);
	pthread_mutex_lock(&s->lock);
	old = s->current;
	s->current = p;
	pthread_mutex_unlock(&s->lock);
	published_release(s, old);
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	published_release(s, s->current);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
