#include "glass/libvirt_uri.h"

#include <stdlib.h>
#include <string.h>

#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/xalloc.h"

bool libvirt_uri_is_ssh(const char *uri)
{
	const char *end = strstr(uri, "://");
	const char *plus = memchr(uri, '+', end ? (size_t)(end - uri) : 0);

	/* "+ssh" runs the ssh binary; "+libssh"/"+libssh2" have their own
	 * known_hosts handling and no tty to steal. */
	return plus && end && (size_t)(end - plus) == 4 && strncmp(plus, "+ssh", 4) == 0;
}

/* True when the query (after '?') has a parameter called `name`. */
static bool query_has(const char *uri, const char *name)
{
	const char *q = strchr(uri, '?');
	size_t nlen = strlen(name);

	while (q && *q) {
		q++;
		if (strncmp(q, name, nlen) == 0 && (q[nlen] == '=' || q[nlen] == '&' || !q[nlen]))
			return true;
		q = strpbrk(q, "&;");
	}
	return false;
}

char *libvirt_uri_prepare(const char *uri_in)
{
	/* libvirt never reads a password from a URI: it takes all of
	 * `user:pass` as the user name, which +ssh puts on ssh's command line
	 * (`ssh -l root:S3CRET`, in every user's ps) and sends to the far
	 * sshd.  It goes before libvirt sees the URI. */
	char *stripped = uri_without_password(uri_in);
	const char *uri = stripped ? stripped : uri_in;

	if (!libvirt_uri_is_ssh(uri) || query_has(uri, "no_tty"))
		return stripped ? stripped : xstrdup(uri);
	const char *hash = strchr(uri, '#');
	size_t base = hash ? (size_t)(hash - uri) : strlen(uri);
	bool has_query = memchr(uri, '?', base) != NULL;
	char *out = xasprintf("%.*s%sno_tty=1%s", (int)base, uri, has_query ? "&" : "?",
			      hash ? hash : "");
	free(stripped);
	return out;
}

/* Appends every secret of uri to the list. */
static size_t collect_secrets(const char *uri, const char **starts, size_t *lens, size_t max)
{
	size_t n = 0;
	const char *scheme_end = strstr(uri, "://");
	const char *p = uri;

	/* as uri_redact: a "://" in the path or query is not the scheme's end */
	if (scheme_end && strcspn(uri, "/?#") < (size_t)(scheme_end - uri))
		scheme_end = NULL;
	if (scheme_end) {
		const char *auth = scheme_end + 3;
		size_t alen = strcspn(auth, "/?#");
		const char *at = NULL;

		for (size_t i = 0; i < alen; i++)
			if (auth[i] == '@')
				at = auth + i;
		if (at) {
			const char *colon = memchr(auth, ':', (size_t)(at - auth));
			if (colon && at > colon + 1 && n < max) {
				starts[n] = colon + 1;
				lens[n++] = (size_t)(at - colon - 1);
			}
		}
		p = auth + alen;
	}
	const char *q = strchr(p, '?');
	while (q && *q && n < max) {
		q++;
		size_t plen = strcspn(q, "&;#");
		const char *eq = memchr(q, '=', plen);
		if (eq && uri_param_is_secret(q, (size_t)(eq - q)) && plen > (size_t)(eq - q) + 1) {
			starts[n] = eq + 1;
			lens[n++] = plen - (size_t)(eq - q) - 1;
		}
		q += plen;
		if (*q == '#')
			break;
	}
	return n;
}

char *libvirt_uri_scrub(const char *uri, const char *msg)
{
	/* room for every secret: the password and one per query parameter
	 * (a fixed 16 let the 17th through; found by fuzz_uri) */
	size_t max = 2;
	for (const char *c = uri; *c; c++)
		max += *c == '&' || *c == ';';
	const char **starts = xcalloc(max, sizeof(*starts));
	size_t *lens = xcalloc(max, sizeof(*lens));
	size_t n = collect_secrets(uri, starts, lens, max);
	struct strbuf out;

	strbuf_init(&out);
	while (*msg) {
		size_t hit = 0;
		for (size_t i = 0; i < n && !hit; i++)
			if (strncmp(msg, starts[i], lens[i]) == 0)
				hit = lens[i];
		if (hit) {
			strbuf_adds(&out, "***");
			msg += hit;
		} else {
			strbuf_addc(&out, *msg++);
		}
	}
	free(starts);
	free(lens);
	return out.buf ? strbuf_detach(&out) : xstrdup("");
}
