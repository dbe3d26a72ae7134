#include "glass/identity.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass/xalloc.h"

/* 32 hex digits, dashes ignored, into 16 bytes. */
static bool parse_hex(const char *s, unsigned char *out, size_t n)
{
	size_t got = 0;

	for (; *s && got < 2 * n; s++) {
		int v;

		if (*s == '-' || *s == ':')
			continue;
		if ('0' <= *s && *s <= '9')
			v = *s - '0';
		else if ('a' <= tolower((unsigned char)*s) && tolower((unsigned char)*s) <= 'f')
			v = tolower((unsigned char)*s) - 'a' + 10;
		else
			return false;
		if (got % 2 == 0)
			out[got / 2] = (unsigned char)(v << 4);
		else
			out[got / 2] |= (unsigned char)v;
		got++;
	}
	while (*s == '-' || *s == ':' || isspace((unsigned char)*s))
		s++;
	return got == 2 * n && *s == '\0';
}

static bool all_bytes(const unsigned char *b, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

static char *format_uuid(const unsigned char *b)
{
	return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
			 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
			 b[14], b[15]);
}

bool identity_set_uuid(struct identity *id, const char *uuid)
{
	unsigned char b[16];

	if (!uuid || !parse_hex(uuid, b, sizeof(b)) || all_bytes(b, sizeof(b), 0) ||
	    all_bytes(b, sizeof(b), 0xff))
		return false;
	free(id->uuid);
	id->uuid = format_uuid(b);
	return true;
}

bool identity_add_mac(struct identity *id, const char *mac)
{
	unsigned char b[6];

	if (!mac || strlen(mac) != 17)
		return false;
	for (int i = 2; i < 17; i += 3)
		if (mac[i] != ':' && mac[i] != '-')
			return false;
	if (!parse_hex(mac, b, sizeof(b)) || all_bytes(b, sizeof(b), 0) ||
	    all_bytes(b, sizeof(b), 0xff) || id->n_macs >= IDENTITY_MAX_MACS)
		return false;
	char *s = xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	for (size_t i = 0; i < id->n_macs; i++) {
		if (strcmp(id->macs[i], s) == 0) {
			free(s);
			return false;
		}
	}
	id->macs = xreallocarray(id->macs, id->n_macs + 1, sizeof(*id->macs));
	id->macs[id->n_macs++] = s;
	return true;
}

void identity_copy(struct identity *dst, const struct identity *src)
{
	identity_done(dst);
	dst->uuid = src->uuid ? xstrdup(src->uuid) : NULL;
	for (size_t i = 0; i < src->n_macs; i++) {
		dst->macs = xreallocarray(dst->macs, dst->n_macs + 1, sizeof(*dst->macs));
		dst->macs[dst->n_macs++] = xstrdup(src->macs[i]);
	}
}

void identity_done(struct identity *id)
{
	free(id->uuid);
	for (size_t i = 0; i < id->n_macs; i++)
		free(id->macs[i]);
	free(id->macs);
	*id = (struct identity){0};
}

bool identity_known(const struct identity *id)
{
	return id->uuid || id->n_macs;
}

bool identity_uuid_match(const struct identity *a, const struct identity *b)
{
	unsigned char x[16], y[16];

	if (!a->uuid || !b->uuid || !parse_hex(a->uuid, x, 16) || !parse_hex(b->uuid, y, 16))
		return false;
	if (memcmp(x, y, 16) == 0)
		return true;
	/* the first three fields little-endian: 4, 2 and 2 bytes reversed */
	static const int swap[8] = {3, 2, 1, 0, 5, 4, 7, 6};
	for (int i = 0; i < 8; i++)
		if (x[i] != y[swap[i]])
			return false;
	return memcmp(x + 8, y + 8, 8) == 0;
}

const char *identity_mac_common(const struct identity *a, const struct identity *b)
{
	for (size_t i = 0; i < a->n_macs; i++)
		for (size_t j = 0; j < b->n_macs; j++)
			if (strcmp(a->macs[i], b->macs[j]) == 0)
				return a->macs[i];
	return NULL;
}
