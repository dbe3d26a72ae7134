/* libFuzzer harness: URI handling (uri.h, libvirt_uri.h and the
 * glass+ssh:// parser of source_remote.h).  A URI comes from the command
 * line or the config and reaches error messages, source names and argv.
 * Invariants: a secret of the URI (the password of user:pass@, the value
 * of a secret-looking query parameter, found here independently by the
 * RFC 3986 reading) never survives uri_redact or libvirt_uri_scrub; an
 * ssh URI always gets no_tty; a remote target never looks like an ssh
 * option.  remote.c is included to see the parsed target and port. */
#include "src/sources/remote.c"

#include <ctype.h>
#include <stdint.h>

#include "glass/libvirt_uri.h"

#define MAX_SECRETS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const char *s;
	size_t len;
};

/* scheme "://" at the very start (RFC 3986 §3.1): the end of it, or NULL. */
static const char *rfc_authority(const char *u)
{
	const char *c = u;

	if (!isalpha((unsigned char)*c))
		return NULL;
	while (isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.')
		c++;
	return strncmp(c, "://", 3) == 0 ? c + 3 : NULL;
}

static size_t find_secrets(const char *u, struct span *sp)
{
	const char *auth = rfc_authority(u);
	size_t n = 0;

	if (auth) {
		size_t alen = strcspn(auth, "/?#");
		const char *at = NULL;
		for (size_t i = 0; i < alen; i++)
			if (auth[i] == '@')
				at = auth + i;
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon && at > colon + 1)
			sp[n++] = (struct span){colon + 1, (size_t)(at - colon - 1)};
	}
	size_t before_frag = strcspn(u, "#");
	const char *q = memchr(u, '?', before_frag);
	while (q && *q && *q != '#' && n < MAX_SECRETS) {
		q++;
		size_t plen = strcspn(q, "&;#");
		const char *eq = memchr(q, '=', plen);
		if (eq && uri_param_is_secret(q, (size_t)(eq - q)) && plen > (size_t)(eq - q) + 1)
			sp[n++] = (struct span){eq + 1, plen - (size_t)(eq - q) - 1};
		q += plen;
	}
	return n;
}

static size_t occurrences(const char *hay, const struct span *sp)
{
	size_t n = 0;

	for (const char *h = hay; (h = memmem(h, strlen(h), sp->s, sp->len)) != NULL; h++)
		n++;
	return n;
}

/* out must hide every secret that the URI holds once (a secret that
 * also appears elsewhere in it or in noise, or holds the mask's '*' or the
 * '\n' that joins copies of it, proves nothing). */
static void check_hidden(const char *uri, const char *out, const struct span *sp, size_t n,
			 const char *noise)
{
	for (size_t i = 0; i < n; i++) {
		if (memchr(sp[i].s, '*', sp[i].len) || memchr(sp[i].s, '\n', sp[i].len) ||
		    occurrences(uri, &sp[i]) != 1 || occurrences(noise, &sp[i]) != 0)
			continue;
		if (occurrences(out, &sp[i]) != 0)
			__builtin_trap(); /* a credential would be printed */
	}
}

static void check_remote(const char *u)
{
	static const struct remote_params params = {"ssh -x", "glass", 2.0};
	char *full = xasprintf("%s%s", REMOTE_SCHEME, u);
	struct errbuf err;
	struct source *src;
	struct span sp[MAX_SECRETS];
	size_t n = find_secrets(full, sp);

	errbuf_clear(&err);
	src = source_remote_new(full, &params, &err);
	if (!src) {
		/* the error names the URI redacted (checked below), then says why */
		char *red = uri_redact(full);
		size_t rlen = strlen(red), mlen = strlen(err.msg);
		/* (the message may be cut at ERRBUF_SIZE anywhere) */
		if (strncmp(err.msg, red, rlen < mlen ? rlen : mlen) != 0 ||
		    (mlen > rlen && strncmp(err.msg + rlen, ": ", mlen - rlen < 2 ? 1 : 2) != 0) ||
		    mlen < 2)
			__builtin_trap();
		check_hidden(full, red, sp, n, "");
		free(red);
	} else {
		struct remote_priv *p = src->priv;
		size_t i = 0;
		if (!p->target[0] || p->target[0] == '-')
			__builtin_trap(); /* never an ssh option */
		if (p->port && (!p->port[0] || strspn(p->port, "0123456789") != strlen(p->port)))
			__builtin_trap();
		while (p->argv[i] && strcmp(p->argv[i], "--") != 0)
			i++;
		if (!p->argv[i] || !p->argv[i + 1] || strcmp(p->argv[i + 1], p->target) != 0)
			__builtin_trap(); /* the target comes after "--" */
		check_hidden(full, src->name, sp, n, "");
		source_free(src);
	}
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *u = xstrndup((const char *)data, size);
	struct span sp[MAX_SECRETS];
	size_t n = find_secrets(u, sp);
	char *red = uri_redact(u);
	char *msg = xasprintf("%s\n%s", u, u); /* an error that names it twice */
	char *scrubbed = libvirt_uri_scrub(u, msg);
	char *prep = libvirt_uri_prepare(u);

	check_hidden(u, red, sp, n, "");
	check_hidden(u, scrubbed, sp, n, "");
	if (libvirt_uri_is_ssh(u) && !strstr(prep, "no_tty"))
		__builtin_trap(); /* ssh must never ask on the terminal */
	char *plain = uri_without_password(u);
	const char *base = plain ? plain : u;
	if (strncmp(prep, base, strcspn(base, "#")) != 0)
		__builtin_trap(); /* prepare drops the password, and otherwise only adds */
	char *left = uri_without_password(prep);
	if (left)
		__builtin_trap(); /* no password reaches libvirt */
	free(plain);
	check_remote(u);
	free(red);
	free(msg);
	free(scrubbed);
	free(prep);
	free(u);
	return 0;
}
