#include "glass/source_ipmi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/escape.h"
#include "glass/strbuf.h"
#include "glass/uri.h"
#include "glass/xalloc.h"

static const struct {
	const char *scheme;
	enum ipmi_mode mode;
} schemes[] = {
	{"ipmi://", IPMI_INBAND},
	{"ipmi+lan://", IPMI_LAN},
	{"ipmi+lanplus://", IPMI_LANPLUS},
};

bool source_ipmi_uri(const char *uri)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(uri, schemes[i].scheme, strlen(schemes[i].scheme)) == 0)
			return true;
	return false;
}

/* Letters, digits and the bytes of `extra`, never starting with '-'. */
static bool plain_word(const char *s, size_t len, const char *extra)
{
	if (len == 0 || *s == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!(('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
		      (c && strchr(extra, c))))
			return false;
	}
	return true;
}

void ipmi_target_done(struct ipmi_target *t)
{
	free(t->user);
	free(t->address);
	free(t->port);
	free(t->host_name);
	free(t->sensor);
	free(t->password_file);
	memset(t, 0, sizeof(*t));
}

/* name=value&...: host, sensor, password_file; 0 or -1 with err. */
static int parse_query(struct ipmi_target *t, const char *q, const char *redacted,
		       struct errbuf *err)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		char **slot = NULL;
		const char *extra = "";

		if (eq) {
			size_t nlen = (size_t)(eq - q);
			if (nlen == 4 && strncmp(q, "host", 4) == 0) {
				slot = &t->host_name;
				extra = ".-_";
			} else if (nlen == 6 && strncmp(q, "sensor", 6) == 0) {
				slot = &t->sensor;
				extra = " .-_+/";
			} else if (nlen == 13 && strncmp(q, "password_file", 13) == 0) {
				slot = &t->password_file;
				extra = "/.-_+@,:";
			}
		}
		if (!slot)
			return errbuf_set(err, "%s: unknown parameter '%.*s': expected host=, sensor= or password_file=",
					  redacted, (int)(eq ? (size_t)(eq - q) : len > 40 ? 40 : len), q);
		size_t vlen = len - (size_t)(eq + 1 - q);
		if (!plain_word(eq + 1, vlen, extra) || *slot)
			return errbuf_set(err, "%s: invalid or repeated %.*s=", redacted, (int)(eq - q), q);
		if (slot == &t->password_file && eq[1] != '/')
			return errbuf_set(err, "%s: password_file= wants an absolute path", redacted);
		*slot = xstrndup(eq + 1, vlen);
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

int ipmi_target_parse(const char *uri, struct ipmi_target *t, struct errbuf *err)
{
	const char *rest = NULL;
	char *redacted = uri_redact(uri);
	int rc = -1;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (strncmp(uri, schemes[i].scheme, strlen(schemes[i].scheme)) == 0) {
			t->mode = schemes[i].mode;
			rest = uri + strlen(schemes[i].scheme);
		}
	}
	if (!rest) {
		errbuf_set(err, "%s: not an ipmi:// URI", redacted);
		goto out;
	}
	size_t alen = strcspn(rest, "/?#");
	const char *after = rest + alen;
	if (*after == '/')
		after++;
	if (*after == '#' || (*after && *after != '?')) {
		errbuf_set(err, "%s: expected %s", redacted,
			   t->mode == IPMI_INBAND ? "ipmi://[?host=NAME]" : "ipmi+lan://[user@]bmc[:port]");
		goto out;
	}
	if (t->mode == IPMI_INBAND) {
		if (alen != 0) {
			errbuf_set(err, "%s: ipmi:// reads this host's BMC in-band: no address "
					"(ipmi+lan://user@bmc reads one over the network)", redacted);
			goto out;
		}
	} else {
		const char *at = NULL;
		for (size_t i = 0; i < alen; i++)
			if (rest[i] == '@')
				at = rest + i;
		const char *host = at ? at + 1 : rest;
		size_t hlen = (size_t)(rest + alen - host);
		if (at && memchr(rest, ':', (size_t)(at - rest))) {
			errbuf_set(err, "%s: a password in the URI is not used: put it in a file "
					"(ipmi.password_file)", redacted);
			goto out;
		}
		if (at && !plain_word(rest, (size_t)(at - rest), ".-_")) {
			errbuf_set(err, "%s: invalid user name", redacted);
			goto out;
		}
		const char *colon = memchr(host, ':', hlen);
		size_t namelen = colon ? (size_t)(colon - host) : hlen;
		if (!plain_word(host, namelen, ".-_")) {
			errbuf_set(err, "%s: expected ipmi+lan://[user@]bmc[:port], the BMC a name or an "
					"IPv4 address", redacted);
			goto out;
		}
		if (colon) {
			char *end;
			long n = strtol(colon + 1, &end, 10);
			if (end != host + hlen || n < 1 || n > 65535 || colon[1] < '0' || colon[1] > '9') {
				errbuf_set(err, "%s: invalid port", redacted);
				goto out;
			}
			t->port = xstrndup(colon + 1, (size_t)(end - colon - 1));
		}
		t->address = xstrndup(host, namelen);
		if (at)
			t->user = xstrndup(rest, (size_t)(at - rest));
	}
	if (*after == '?' && parse_query(t, after + 1, redacted, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		escape_errbuf(err);
		ipmi_target_done(t);
	}
	free(redacted);
	return rc;
}

int ipmi_password_read(const char *path, char *buf, size_t len, struct errbuf *err)
{
	/* read(2) into a stack buffer, not stdio: the secret is in no buffer
	 * that outlives this call but buf */
	char line[IPMI_PASSWORD_MAX + 3];
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int rc = -1;

	memset(buf, 0, len);
	if (fd < 0) {
		errbuf_set(err, "password file %s: %s", path, strerror(errno));
		escape_errbuf(err);
		return -1;
	}
	while (got < sizeof(line)) {
		ssize_t n = read(fd, line + got, sizeof(line) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errbuf_set(err, "password file %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	size_t n = 0;
	while (n < got && line[n] != '\n' && line[n] != '\r')
		n++;
	if (got == 0 || n == 0)
		errbuf_set(err, "password file %s: empty first line", path);
	else if (n > IPMI_PASSWORD_MAX || n >= len)
		errbuf_set(err, "password file %s: longer than the %d bytes IPMI takes", path,
			   IPMI_PASSWORD_MAX);
	else if (memchr(line, '\0', n))
		errbuf_set(err, "password file %s: a NUL byte in the password", path);
	else {
		memcpy(buf, line, n);
		rc = 0;
	}
out:
	explicit_bzero(line, sizeof(line));
	close(fd);
	if (rc < 0)
		escape_errbuf(err);
	return rc;
}
