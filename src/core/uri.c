#include "glass/uri.h"

#include <string.h>
#include <strings.h>

#include "glass/strbuf.h"

static const char *const secret_words[] = {
	"pass", "pwd", "secret", "token", "key", "auth", "cred", "cookie", "session",
};

bool uri_param_is_secret(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++) {
		size_t wl = strlen(secret_words[i]);

		for (size_t j = 0; j + wl <= len; j++)
			if (strncasecmp(name + j, secret_words[i], wl) == 0)
				return true;
	}
	return false;
}

/* Copies the query, masking secret values; q points after the '?'. */
static void redact_query(struct strbuf *out, const char *q)
{
	while (*q) {
		size_t plen = strcspn(q, "&;#");
		const char *eq = memchr(q, '=', plen);

		if (eq && uri_param_is_secret(q, (size_t)(eq - q))) {
			strbuf_add(out, q, (size_t)(eq - q) + 1);
			strbuf_adds(out, "***");
		} else {
			strbuf_add(out, q, plen);
		}
		q += plen;
		if (*q == '#') {
			strbuf_adds(out, q);
			return;
		}
		if (*q)
			strbuf_addc(out, *q++);
	}
}

/* The authority of uri: where it starts, and its userinfo's '@' (NULL
 * when none).  False when uri has no "scheme://". */
static bool find_authority(const char *uri, const char **auth_out, const char **at_out)
{
	const char *scheme_end = strstr(uri, "://");

	/* a "://" after the path or query began is data, not the scheme's end */
	if (!scheme_end || strcspn(uri, "/?#") < (size_t)(scheme_end - uri))
		return false;
	const char *auth = scheme_end + 3;
	size_t alen = strcspn(auth, "/?#");

	/* The userinfo ends at the last '@' of the authority: a password may
	 * itself hold an unescaped '@'. */
	*at_out = NULL;
	for (size_t i = 0; i < alen; i++)
		if (auth[i] == '@')
			*at_out = auth + i;
	*auth_out = auth;
	return true;
}

char *uri_redact(const char *uri)
{
	struct strbuf out;
	const char *p = uri;
	const char *auth, *at;

	strbuf_init(&out);
	if (find_authority(uri, &auth, &at)) {
		strbuf_add(&out, uri, (size_t)(auth - uri));
		if (at) {
			const char *colon = memchr(auth, ':', (size_t)(at - auth));

			if (colon) {
				strbuf_add(&out, auth, (size_t)(colon - auth));
				strbuf_adds(&out, ":***");
			} else {
				strbuf_add(&out, auth, (size_t)(at - auth));
			}
			p = at;
		} else {
			p = auth;
		}
	}
	const char *qm = strchr(p, '?');
	if (!qm) {
		strbuf_adds(&out, p);
	} else {
		strbuf_add(&out, p, (size_t)(qm - p) + 1);
		redact_query(&out, qm + 1);
	}
	return strbuf_detach(&out);
}

char *uri_without_password(const char *uri)
{
	const char *auth, *at, *colon;

	if (!find_authority(uri, &auth, &at) || !at || !(colon = memchr(auth, ':', (size_t)(at - auth))))
		return NULL;
	struct strbuf out;
	strbuf_init(&out);
	strbuf_add(&out, uri, (size_t)(colon - uri));
	strbuf_adds(&out, at);
	return strbuf_detach(&out);
}
