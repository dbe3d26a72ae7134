/* What glass reads from a domain's XML (virDomainGetXMLDesc): device
 * names, MAC addresses and the owner.  Pure string code on the XML as
 * libvirt formats it (text escaped, elements in libvirt's order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/libvirt_internal.h"
#include "glass/owner.h"
#include "glass/strbuf.h"
#include "glass/xalloc.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The value of attribute `attr` of the first <tag .../> inside
 * [start, end), or NULL.  The caller's string. */
static char *xml_attr(const char *start, const char *end, const char *tag, const char *attr)
{
	size_t tlen = strlen(tag), alen = strlen(attr);

	for (const char *t = start; t && t < end; t++) {
		t = strstr(t, tag);
		if (!t || t >= end)
			return NULL;
		if (t[tlen] != ' ' && t[tlen] != '\t' && t[tlen] != '\n')
			continue;
		const char *close = strchr(t, '>');
		if (!close || close > end)
			return NULL;
		for (const char *a = t + tlen; a + alen + 2 < close; a++) {
			if ((a[-1] == ' ' || a[-1] == '\t' || a[-1] == '\n') &&
			    strncmp(a, attr, alen) == 0 && a[alen] == '=' &&
			    (a[alen + 1] == '\'' || a[alen + 1] == '"')) {
				const char *v = a + alen + 2;
				const char *q = strchr(v, a[alen + 1]);
				if (q && q < close)
					return xstrndup(v, (size_t)(q - v));
			}
		}
	}
	return NULL;
}

void libvirt_xml_devices(const char *xml, const char *kind, char ***names, size_t *n)
{
	char open[32], close[32];
	const char *p = xml;

	snprintf(open, sizeof(open), "<%s ", kind);
	snprintf(close, sizeof(close), "</%s>", kind);
	while ((p = strstr(p, open)) != NULL) {
		const char *end = strstr(p, close);
		if (!end)
			break;
		char *name = xml_attr(p, end, "<target", "dev");
		if (!name && strcmp(kind, "interface") == 0)
			name = xml_attr(p, end, "<mac", "address");
		if (name) {
			*names = xreallocarray(*names, *n + 1, sizeof(**names));
			(*names)[(*n)++] = name;
		}
		p = end;
	}
}

void libvirt_xml_macs(const char *xml, char ***macs, size_t *n)
{
	const char *p = xml;

	while ((p = strstr(p, "<interface ")) != NULL) {
		const char *end = strstr(p, "</interface>");
		if (!end)
			break;
		char *mac = xml_attr(p, end, "<mac", "address");
		if (mac) {
			*macs = xreallocarray(*macs, *n + 1, sizeof(**macs));
			(*macs)[(*n)++] = mac;
		}
		p = end;
	}
}

/* Appends code point cp as UTF-8; false for one XML cannot hold. */
static int add_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp < 0x80) {
		strbuf_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		strbuf_addc(sb, (char)(0xC0 | (cp >> 6)));
		strbuf_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addc(sb, (char)(0xE0 | (cp >> 12)));
		strbuf_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addc(sb, (char)(0xF0 | (cp >> 18)));
		strbuf_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		strbuf_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addc(sb, (char)(0x80 | (cp & 0x3F)));
	}
	return 1;
}

/* Length of the character reference at p ("&#13;", "&#x1F600;") with its
 * code point appended to sb, or 0 when p is none. */
static size_t char_ref(const char *p, const char *end, struct strbuf *sb)
{
	const char *q = p + 2;
	int hex = q < end && *q == 'x';
	unsigned long cp = 0;
	size_t digits = 0;

	if (end - p < 4 || p[1] != '#')
		return 0;
	q += hex;
	for (; q < end && *q != ';' && digits < 8; q++, digits++) {
		int v;
		if (*q >= '0' && *q <= '9')
			v = *q - '0';
		else if (hex && *q >= 'a' && *q <= 'f')
			v = *q - 'a' + 10;
		else if (hex && *q >= 'A' && *q <= 'F')
			v = *q - 'A' + 10;
		else
			return 0;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (!digits || q >= end || *q != ';' || !add_utf8(sb, cp))
		return 0;
	return (size_t)(q + 1 - p);
}

char *libvirt_metadata_text(const char *xml)
{
	const char *open = xml ? strchr(xml, '>') : NULL;

	if (!open || open[-1] == '/') /* none, or an empty element */
		return NULL;
	const char *start = open + 1, *end = strchr(start, '<');
	if (!end)
		return NULL;
	struct strbuf sb;
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	strbuf_init(&sb);
	for (const char *p = start; p < end; p++) {
		size_t k = 0;
		for (; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t l = strlen(ents[k].ent);
			if ((size_t)(end - p) >= l && strncmp(p, ents[k].ent, l) == 0) {
				strbuf_addc(&sb, ents[k].c);
				p += l - 1;
				break;
			}
		}
		if (k < sizeof(ents) / sizeof(ents[0]))
			continue;
		size_t l = *p == '&' ? char_ref(p, end, &sb) : 0;
		if (l)
			p += l - 1;
		else
			strbuf_addc(&sb, *p);
	}
	char *out = owner_clean(sb.buf ? sb.buf : "", sb.len);
	strbuf_done(&sb);
	return out;
}

/* The value of the namespace declaration `xmlns` (prefix NULL: the
 * default one) or `xmlns:prefix` in the tag [tag, close), or NULL; *len
 * its length. */
static const char *ns_decl(const char *tag, const char *close, const char *prefix, size_t plen,
			   size_t *len)
{
	for (const char *a = tag + 1; a + 6 < close; a++) {
		if (!is_space(a[-1]) || strncmp(a, "xmlns", 5) != 0)
			continue;
		const char *q = a + 5;
		if (prefix) {
			if (*q != ':' || (size_t)(close - q) <= plen + 1 || strncmp(q + 1, prefix, plen) != 0)
				continue;
			q += 1 + plen;
		}
		if (*q != '=' || (q[1] != '"' && q[1] != '\''))
			continue;
		const char *v = q + 2, *e = memchr(v, q[1], (size_t)(close - v));
		if (!e)
			return NULL;
		*len = (size_t)(e - v);
		return v;
	}
	return NULL;
}

/* The end ('>') of the tag opened at p, quotes respected, or NULL. */
static const char *tag_end(const char *p)
{
	char quote = 0;

	for (p++; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '>') {
			return p;
		}
	}
	return NULL;
}

/* Whether the element opened at `tag` (a child of <metadata>, whose tag
 * is md..md_close) is in the namespace `ns`: its prefix's declaration on
 * itself, else on <metadata>. */
static int in_namespace(const char *tag, const char *close, const char *md, const char *md_close,
			const char *ns)
{
	size_t nlen = strcspn(tag + 1, " \t\r\n/>");
	const char *colon = memchr(tag + 1, ':', nlen);
	const char *prefix = colon ? tag + 1 : NULL;
	size_t plen = colon ? (size_t)(colon - tag - 1) : 0, vlen = 0;
	const char *v = ns_decl(tag, close, prefix, plen, &vlen);

	if (!v)
		v = ns_decl(md, md_close, prefix, plen, &vlen);
	return v && vlen == strlen(ns) && strncmp(v, ns, vlen) == 0;
}

/* The first child element of <metadata> in glass's namespace, as
 * virDomainGetMetadata finds it (libvirt keeps one element per
 * namespace); NULL when none.  Points into xml. */
static const char *owner_element(const char *md)
{
	const char *md_close = tag_end(md);
	int depth = 0;

	if (!md_close || md_close[-1] == '/')
		return NULL;
	for (const char *p = strchr(md_close + 1, '<'); p; p = strchr(p + 1, '<')) {
		if (strncmp(p, "<!--", 4) == 0) {
			const char *e = strstr(p + 4, "-->");
			if (!e)
				return NULL;
			p = e + 2;
			continue;
		}
		if (strncmp(p, "<![CDATA[", 9) == 0) {
			const char *e = strstr(p + 9, "]]>");
			if (!e)
				return NULL;
			p = e + 2;
			continue;
		}
		const char *close = tag_end(p);
		if (!close)
			return NULL;
		if (p[1] == '/') {
			if (--depth < 0)
				return NULL; /* </metadata> */
		} else if (p[1] != '?' && p[1] != '!') {
			if (depth == 0 && in_namespace(p, close, md, md_close, LIBVIRT_OWNER_NS))
				return p;
			if (close[-1] != '/')
				depth++;
		}
		p = close;
	}
	return NULL;
}

/* The start of libvirt's element `<name>` or `<name ...>` of the domain
 * itself, searched in [xml, end), or NULL.  Before <metadata> and
 * <devices> only escaped text can hold a '<', so the first is it. */
static const char *top_element(const char *xml, const char *end, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(xml, name); p && p < end; p = strstr(p + 1, name))
		if (p[-1] == '<' && (p[len] == '>' || is_space(p[len]) || p[len] == '/'))
			return p - 1;
	return NULL;
}

char *libvirt_xml_owner(const char *xml, const char **source)
{
	const char *devices = strstr(xml, "<devices>");
	const char *stop = devices ? devices : xml + strlen(xml);
	const char *md = top_element(xml, stop, "metadata");
	char *owner = NULL;

	*source = NULL;
	if (md) {
		const char *el = owner_element(md);
		if (el && (owner = libvirt_metadata_text(el)) != NULL) {
			*source = "libvirt-metadata";
			return owner;
		}
	}
	/* libvirt writes the title before the description and metadata */
	const char *title = top_element(xml, md ? md : stop, "title");
	if (title && (owner = libvirt_metadata_text(title)) != NULL)
		*source = "libvirt-title";
	return owner;
}
