#include "glass/source_remote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/escape.h"
#include "glass/idmap.h"
#include "glass/metric.h"
#include "glass/power.h"
#include "glass/rates.h"
#include "glass/snapshot_read.h"
#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/value.h"
#include "glass/xalloc.h"

/* ssh's own ConnectTimeout is 5 s: the first snapshot may take that
 * plus the remote's first interval. */
#define FIRST_LINE_GRACE_NS (8 * NS_PER_S)
/* A stream silent for this many intervals is stale at the source. */
#define SILENT_INTERVALS 3
/* 2^64: doubles below it convert to uint64_t */
/* ssh exits as soon as the stream ends, unless the far command closed its
 * output and lives on: it is killed after this long, not waited for. */
#define REAP_WAIT_NS (2 * NS_PER_S)

/* Counters integrated from the remote's rates, per node id: the model
 * turns them back into the same rates (see remote_to_reading). */
/* The counters built back from the far side's rates: one per rate row
 * of the metric table. */
struct remote_acc {
	uint64_t counter[METRIC_RATES_MAX];
	uint64_t gen;
};

/* The "id" keys of the line being read (count_ids). */
struct id_count {
	size_t ids;
	bool in_str, esc, after_key;
	int match; /* bytes of "id" matched in the current string; -1: none */
};

struct remote_priv {
	char *name;   /* the redacted URI, for another remote's errors */
	char *target; /* [user@]host, as ssh takes it */
	char *port;   /* NULL: ssh's default */
	size_t max_nodes;
	char *local_host_id; /* this host's id when glass watches it; NULL: not */
	char *claimed;       /* the host id this remote speaks for, once claimed */
	char **argv;  /* ssh ... host command */
	pid_t pid;
	int out_fd;
	int err_fd;
	struct strbuf partial; /* the line being read */
	struct id_count ids;   /* ... and its nodes so far */
	char ssh_err[256];     /* ssh's last stderr line: the reason */
	char *latest;          /* newest complete line, not yet sampled */
	size_t latest_len;
	uint64_t opened_mono;
	uint64_t last_line_mono;
	uint64_t interval_ns;
	struct idmap *acc;
	uint64_t acc_mono;
	uint64_t gen;
};

bool source_remote_uri(const char *uri)
{
	return strncmp(uri, REMOTE_SCHEME, strlen(REMOTE_SCHEME)) == 0;
}

/* Letters, digits and the bytes of `extra`, never starting with '-': a
 * user or host that could look like an ssh option never reaches ssh. */
static bool plain_word(const char *s, const char *extra)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      strchr(extra, *s)))
			return false;
	return true;
}

/* glass+ssh://[user@]host[:port][/], the host a name, an IPv4 address or
 * an IPv6 one in brackets.  ssh takes the address without its brackets
 * and the port apart, with -p. */
static int parse_uri(struct remote_priv *p, const char *uri, struct errbuf *err)
{
	const char *rest = uri + strlen(REMOTE_SCHEME);
	size_t len = strcspn(rest, "/?#");
	char *auth = xstrndup(rest, len);
	char *at = strrchr(auth, '@');
	char *host = at ? at + 1 : auth;
	char *port = NULL;
	char *redacted = uri_redact(uri);
	bool form_ok = !(rest[len] == '?' || rest[len] == '#' || (rest[len] == '/' && rest[len + 1]));

	if (form_ok && at && memchr(auth, ':', (size_t)(at - auth))) {
		errbuf_set(err, "%s: a password in the URI is not used: ssh keys or agent only", redacted);
		goto fail;
	}
	if (form_ok && *host == '[') {
		char *close = strchr(host, ']');

		form_ok = close && (close[1] == '\0' || close[1] == ':');
		if (form_ok) {
			port = close[1] == ':' ? close + 2 : NULL;
			*close = '\0';
			host++;
			form_ok = strchr(host, ':') && plain_word(host, ":.%");
		}
	} else if (form_ok) {
		char *colon = strchr(host, ':');

		if (colon) {
			*colon = '\0';
			port = colon + 1;
		}
		form_ok = plain_word(host, ".-_");
	}
	if (form_ok && at) {
		*at = '\0';
		form_ok = plain_word(auth, ".-_");
	}
	if (!form_ok) {
		errbuf_set(err, "%s: expected glass+ssh://[user@]host[:port]", redacted);
		goto fail;
	}
	if (port) {
		char *end;
		long n = strtol(port, &end, 10);

		if (*end || n < 1 || n > 65535 || port[0] < '0' || port[0] > '9') {
			errbuf_set(err, "%s: invalid port '%s'", redacted, port);
			goto fail;
		}
		p->port = xstrdup(port);
	}
	p->target = at ? xasprintf("%s@%s", auth, host) : xstrdup(host);
	free(auth);
	free(redacted);
	return 0;
fail:
	free(auth);
	free(redacted);
	return -1;
}

static void add_arg(char ***argv, size_t *n, const char *s)
{
	*argv = xreallocarray(*argv, *n + 2, sizeof(**argv));
	(*argv)[(*n)++] = xstrdup(s);
	(*argv)[*n] = NULL;
}

static void build_argv(struct remote_priv *p, const struct remote_params *params)
{
	char **argv = NULL;
	size_t n = 0;
	char *ssh = xstrdup(params->ssh && *params->ssh ? params->ssh : "ssh");
	char *save = NULL;

	for (char *tok = strtok_r(ssh, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		add_arg(&argv, &n, tok);
	free(ssh);
	/* Never prompt (a question would hang the poller), give up on a
	 * silent host, and notice a dead one; the user's ssh config adds
	 * the rest, as with libvirt's ssh transport. */
	static const char *const opts[] = {
		"-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5",
		"-o", "ServerAliveCountMax=2", "-T",
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		add_arg(&argv, &n, opts[i]);
	if (p->port) {
		add_arg(&argv, &n, "-p");
		add_arg(&argv, &n, p->port);
	}
	add_arg(&argv, &n, "--");
	add_arg(&argv, &n, p->target);
	char *cmd = xasprintf("%s -b -n 0 -d %g --format json --no-libvirt --processes",
			      params->command && *params->command ? params->command : "glass",
			      params->interval_s);
	add_arg(&argv, &n, cmd);
	free(cmd);
	p->argv = argv;
}

/* execv needs a path: look ssh up before fork, where malloc is allowed. */
static char *find_in_path(const char *name)
{
	if (strchr(name, '/'))
		return xstrdup(name);
	const char *path = getenv("PATH");
	char *copy = xstrdup(path && *path ? path : "/usr/bin:/bin");
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", dir, name);
		if (access(full, X_OK) == 0) {
			free(copy);
			return full;
		}
		free(full);
	}
	free(copy);
	return NULL;
}

/* The hosts the remotes speak for: two remotes that report one host name
 * (or one that reports this host's own) would merge two machines into one
 * node, so the later one is refused and says why. */
static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;
static struct remote_priv **claims;
static size_t n_claims;

static void release_claim(struct remote_priv *p)
{
	pthread_mutex_lock(&claims_lock);
	for (size_t i = 0; i < n_claims; i++)
		if (claims[i] == p)
			claims[i] = claims[--n_claims];
	if (n_claims == 0) {
		free(claims);
		claims = NULL;
	}
	pthread_mutex_unlock(&claims_lock);
	free(p->claimed);
	p->claimed = NULL;
}

static int claim_host(struct remote_priv *p, const char *host_id, struct errbuf *err)
{
	const char *other = NULL;
	struct strbuf name;
	int rc = 0;

	if (p->claimed && strcmp(p->claimed, host_id) == 0)
		return 0;
	release_claim(p);
	strbuf_init(&name);
	escape_terminal(&name, host_id + strlen("host:"));
	if (p->local_host_id && strcmp(host_id, p->local_host_id) == 0) {
		rc = errbuf_set(err, "the remote's host name '%.200s' is this host's own: not merged",
				name.buf);
		goto out;
	}
	pthread_mutex_lock(&claims_lock);
	for (size_t i = 0; i < n_claims && !other; i++)
		if (strcmp(claims[i]->claimed, host_id) == 0)
			other = claims[i]->name;
	if (other) {
		rc = errbuf_set(err, "the remote's host name '%.200s' is also %.200s's: not merged", name.buf,
				other);
	} else {
		claims = xreallocarray(claims, n_claims + 1, sizeof(*claims));
		claims[n_claims++] = p;
		p->claimed = xstrdup(host_id);
	}
	pthread_mutex_unlock(&claims_lock);
out:
	strbuf_done(&name);
	return rc;
}

static void remote_kill(struct remote_priv *p)
{
	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	for (int i = 0; i < 20; i++) {
		if (waitpid(p->pid, NULL, WNOHANG) == p->pid) {
			p->pid = -1;
			return;
		}
		usleep(10000);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	p->pid = -1;
}

static void remote_close(struct source *src)
{
	struct remote_priv *p = src->priv;

	remote_kill(p);
	release_claim(p);
	if (p->out_fd >= 0)
		close(p->out_fd);
	if (p->err_fd >= 0)
		close(p->err_fd);
	p->out_fd = p->err_fd = -1;
	strbuf_reset(&p->partial);
	memset(&p->ids, 0, sizeof(p->ids));
	free(p->latest);
	p->latest = NULL;
}

static int remote_open(struct source *src, struct errbuf *err)
{
	struct remote_priv *p = src->priv;
	int out[2], errp[2];
	char *path = find_in_path(p->argv[0]);
	pid_t parent = getpid();

	if (!path)
		return errbuf_set(err, "%s: not found in PATH", p->argv[0]);
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		free(path);
		return errbuf_set(err, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		free(path);
		close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		return errbuf_set(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* Dies with glass, even with a SIGKILL: no orphaned ssh. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out[1], 1) < 0 || dup2(errp[1], 2) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execv(path, p->argv);
		_exit(127);
	}
	free(path);
	close(out[1]);
	close(errp[1]);
	p->pid = pid;
	p->out_fd = out[0];
	p->err_fd = errp[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	p->ssh_err[0] = '\0';
	p->opened_mono = clock_mono_ns();
	p->last_line_mono = 0;
	return 0;
}

/* Keeps the last non-empty line ssh printed: the reason it failed. */
static void drain_stderr(struct remote_priv *p)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(p->err_fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		char *end = buf + n;
		while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
			*--end = '\0';
		char *last = strrchr(buf, '\n');
		last = last ? last + 1 : buf;
		if (*last) {
			/* keep it one line of printable text */
			size_t j = 0;
			for (char *c = last; *c && j + 1 < sizeof(p->ssh_err); c++)
				p->ssh_err[j++] = (*c >= 0x20 && *c != 0x7f) ? *c : '?';
			p->ssh_err[j] = '\0';
		}
	}
}

/* Reads what stdout has; 1 when the stream ended, -1 on a bad line. */
/* Counts the nodes of the line being read as it arrives, by their "id"
 * keys (glass writes one per node and none elsewhere): a line of too
 * many is refused before it is ever parsed, so its parse (json-c takes
 * about 1 KiB per object) costs neither time nor memory.  A key spelled
 * with escapes slips past this count, not past snapshot_parse_max's. */
static void count_ids(struct id_count *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (c->in_str) {
			if (c->esc) {
				c->esc = false;
				c->match = -1;
			} else if (ch == '\\') {
				c->esc = true;
			} else if (ch == '"') {
				c->in_str = false;
				c->after_key = c->match == 2;
			} else {
				c->match = c->match >= 0 && c->match < 2 && ch == "id"[c->match] ? c->match + 1 : -1;
			}
			continue;
		}
		if (ch == '"') {
			c->in_str = true;
			c->match = 0;
			c->after_key = false;
		} else if (ch == ':' && c->after_key) {
			c->ids++;
			c->after_key = false;
		} else if (ch != ' ' && ch != '\t' && ch != '\r') {
			c->after_key = false;
		}
	}
}

/* Reads what stdout has; 1 when the stream ended, -1 on a bad line. */
static int drain_stdout(struct remote_priv *p, struct errbuf *err)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(p->out_fd, buf, sizeof(buf))) > 0) {
		size_t start = 0;
		for (size_t i = 0; i < (size_t)n; i++) {
			if (buf[i] != '\n')
				continue;
			strbuf_add(&p->partial, buf + start, i - start);
			count_ids(&p->ids, buf + start, i - start);
			if (p->ids.ids > p->max_nodes)
				break;
			free(p->latest);
			p->latest_len = p->partial.len;
			p->latest = strbuf_detach(&p->partial);
			p->last_line_mono = clock_mono_ns();
			memset(&p->ids, 0, sizeof(p->ids));
			start = i + 1;
		}
		if (p->ids.ids <= p->max_nodes) {
			strbuf_add(&p->partial, buf + start, (size_t)n - start);
			count_ids(&p->ids, buf + start, (size_t)n - start);
		}
		if (p->ids.ids > p->max_nodes)
			return errbuf_set(err, "remote stream: more than %zu nodes (remote.max_nodes)", p->max_nodes);
		if (p->partial.len > REMOTE_MAX_LINE)
			return errbuf_set(err, "remote sent a line longer than %u bytes: not a glass snapshot",
					  REMOTE_MAX_LINE);
	}
	if (n == 0)
		return 1;
	return 0;
}

static int stream_ended(struct remote_priv *p, struct errbuf *err)
{
	uint64_t deadline = clock_mono_ns() + REAP_WAIT_NS;
	int status = 0;

	while (p->pid > 0) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid || r < 0) {
			p->pid = -1;
			break;
		}
		if (clock_mono_ns() >= deadline) {
			remote_kill(p);
			drain_stderr(p);
			return errbuf_set(err, "the remote closed its output but kept running (killed after %d s)%s%s",
					  (int)(REAP_WAIT_NS / NS_PER_S), p->ssh_err[0] ? ": " : "", p->ssh_err);
		}
		struct pollfd pfd = {p->err_fd, POLLIN, 0};
		poll(&pfd, 1, 50);
		drain_stderr(p);
	}
	drain_stderr(p);
	if (p->ssh_err[0])
		return errbuf_set(err, "%s", p->ssh_err);
	if (WIFEXITED(status))
		return errbuf_set(err, "the remote glass exited with status %d", WEXITSTATUS(status));
	return errbuf_set(err, "ssh ended by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct convert {
	struct remote_priv *p;
	struct reading *out;
	double dt_s;
	const char *host;  /* the remote's own host name */
};

/* A remote speaks for its own host and what runs on it: host:<h>,
 * vm:<h>/..., ct:<h>/....  Any other id (this host's containers, another
 * machine) is not the remote's to report, and is dropped with its
 * subtree. */
static bool speaks_for(const struct convert *c, const struct node *n)
{
	size_t hl = strlen(c->host);

	if (n->kind == NODE_HOST || n->kind == NODE_SITE)
		return false;
	if (strncmp(n->id, "ct:", 3) != 0 && strncmp(n->id, "vm:", 3) != 0)
		return false;
	return strncmp(n->id + 3, c->host, hl) == 0 && n->id[3 + hl] == '/';
}

static void convert_node(struct convert *c, const struct node *n, const char *parent_id)
{
	if (n->kind != NODE_SITE) {
		struct raw_node *r = reading_add_node(c->out, n->kind, n->id, parent_id, n->name);
		struct remote_acc *a = idmap_get(c->p->acc, n->id);
		const struct resources *res = &n->res;

		if (!a) {
			a = xcalloc(1, sizeof(*a));
			for (size_t k = 0; k < METRIC_RATES_MAX; k++)
				a->counter[k] = GLASS_U64_UNKNOWN;
			idmap_put(c->p->acc, n->id, a);
		}
		a->gen = c->p->gen;
		raw_node_set_state(r, n->state);
		raw_node_set_runtime(r, n->runtime);
		/* the far glass's owner, as it worked it out; rules here come first */
		raw_node_set_owner(r, n->owner, n->owner_source);
		/* what the far glass says of the node's health (its own source
		 * stale or unreachable): the node's, not this stream's */
		if (n->health != HEALTH_OK)
			raw_node_set_health(r, n->health, n->health_reason);
		metric_to_raw(r, res, a->counter, c->dt_s);
		r->mem_source = res->mem_source && strcmp(res->mem_source, "host") == 0 ? "host"
				: res->mem_source ? "remote" : NULL;
		/* watts as the far glass measured them; its model and shares
		 * are worked out here again */
		if (power_source_metered(res->power_source)) {
			r->power_watts = res->power_watts;
			r->power_source = power_source_static(res->power_source);
		}
		/* the far machine's identity hints: what joins it to its VM */
		if (n->ident.uuid || n->ident.n_macs || n->procs) {
			struct raw_more *m = raw_node_more(r);

			identity_copy(&m->ident, &n->ident);
			m->procs = proc_list_dup(n->procs);
		}
		/* per-device rates as the far glass worked them out */
		for (size_t i = 0; i < n->n_devs; i++) {
			const struct node_dev *d = &n->devs[i];
			struct raw_dev *rd = raw_node_add_dev(r, d->kind, d->name);
			rd->given_read_bps = d->read_bps;
			rd->given_write_bps = d->write_bps;
		}
		for (size_t i = 0; i < n->n_fs; i++) {
			const struct node_fs *f = &n->fs[i];
			struct raw_fs *rf = raw_node_add_fs(r, f->mount, f->device, f->fs_type);
			rf->size_bytes = value_to_u64(f->size_bytes);
			rf->used_bytes = value_to_u64(f->used_bytes);
			rf->avail_bytes = value_to_u64(f->avail_bytes);
		}
	}
	for (size_t i = 0; i < n->n_children; i++)
		if (speaks_for(c, n->children[i]))
			convert_node(c, n->children[i], n->id);
}

/* The remote's own host: the first host below its site (its local host),
 * named like a host. */
static const struct node *own_host(const struct tree *t, struct errbuf *err)
{
	const struct node *h = NULL;

	for (size_t i = 0; i < t->root->n_children && !h; i++)
		if (t->root->children[i]->kind == NODE_HOST)
			h = t->root->children[i];
	if (!h) {
		errbuf_set(err, "remote stream: no host in the snapshot");
		return NULL;
	}
	const char *name = h->id + strlen("host:");
	if (strncmp(h->id, "host:", 5) != 0 || !*name || strchr(name, '/')) {
		struct strbuf sb;

		strbuf_init(&sb);
		escape_terminal(&sb, h->id);
		errbuf_set(err, "remote stream: the host id '%.200s' is not host:<name>", sb.buf);
		strbuf_done(&sb);
		return NULL;
	}
	return h;
}

static int keep_gen(void *value, void *arg)
{
	return ((struct remote_acc *)value)->gen == *(uint64_t *)arg;
}

static int remote_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct remote_priv *p = src->priv;

	for (;;) {
		int rc = drain_stdout(p, err);
		if (rc < 0)
			return -1;
		drain_stderr(p);
		if (p->latest)
			break;
		if (rc > 0)
			return stream_ended(p, err);
		uint64_t now = clock_mono_ns();
		uint64_t deadline = p->last_line_mono
			? p->last_line_mono + SILENT_INTERVALS * p->interval_ns
			: p->opened_mono + FIRST_LINE_GRACE_NS + 2 * p->interval_ns;
		if (now >= deadline)
			return errbuf_set(err, "no snapshot from the remote glass for %.1f s%s%s",
					  (double)(now - (p->last_line_mono ? p->last_line_mono : p->opened_mono)) / 1e9,
					  p->ssh_err[0] ? ": " : "", p->ssh_err);
		struct pollfd fds[2] = {{p->out_fd, POLLIN, 0}, {p->err_fd, POLLIN, 0}};
		uint64_t wait_ms = (deadline - now) / 1000000 + 1;
		poll(fds, 2, wait_ms > 1000 ? 1000 : (int)wait_ms);
	}
	struct tree *t = snapshot_parse_max(p->latest, p->latest_len, p->max_nodes, err);
	free(p->latest);
	p->latest = NULL;
	if (!t) {
		char why[ERRBUF_SIZE];
		snprintf(why, sizeof(why), "%s", err->msg);
		/* a cap the operator can raise says which key does it */
		return errbuf_set(err, "remote stream: %s%s", why,
				  strncmp(why, "more than ", 10) == 0 ? " (remote.max_nodes)" : "");
	}
	const struct node *host = own_host(t, err);
	if (!host || claim_host(p, host->id, err) < 0) {
		tree_free(t);
		return -1;
	}
	uint64_t now = clock_mono_ns();
	struct convert c = {p, out, p->acc_mono ? (double)(now - p->acc_mono) / 1e9 : 0.0,
			    host->id + strlen("host:")};
	out->mono_ns = now;
	p->acc_mono = now;
	p->gen++;
	convert_node(&c, host, NULL);
	idmap_sweep(p->acc, keep_gen, &p->gen, free);
	tree_free(t);
	return 0;
}

static void remote_free(struct source *src)
{
	struct remote_priv *p = src->priv;

	release_claim(p);
	for (char **a = p->argv; a && *a; a++)
		free(*a);
	free(p->argv);
	free(p->name);
	free(p->local_host_id);
	free(p->target);
	free(p->port);
	strbuf_done(&p->partial);
	free(p->latest);
	idmap_free(p->acc, free);
	free(p);
}

static const struct source_ops remote_ops = {
	.kind = "remote",
	.open = remote_open,
	.sample = remote_sample,
	.close = remote_close,
	.free = remote_free,
};

struct source *source_remote_new(const char *uri, const struct remote_params *params,
				 struct errbuf *err)
{
	struct remote_priv *p = xcalloc(1, sizeof(*p));
	struct source *src;

	p->pid = -1;
	p->out_fd = p->err_fd = -1;
	strbuf_init(&p->partial);
	if (parse_uri(p, uri, err) < 0) {
		strbuf_done(&p->partial);
		free(p);
		return NULL;
	}
	p->interval_ns = (uint64_t)(params->interval_s * (double)NS_PER_S);
	p->max_nodes = params->max_nodes ? params->max_nodes : REMOTE_MAX_NODES;
	p->local_host_id = params->local_host_id ? xstrdup(params->local_host_id) : NULL;
	p->name = uri_redact(uri);
	p->acc = idmap_new();
	build_argv(p, params);
	src = xcalloc(1, sizeof(*src));
	src->ops = &remote_ops;
	src->name = uri_redact(uri);
	src->priv = p;
	return src;
}
