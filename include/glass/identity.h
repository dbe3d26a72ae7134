/* identity.h: the hints that let two sources recognise one machine
 * (DESIGN.md §2): a system UUID (a host's SMBIOS product_uuid, a VM's
 * domain UUID) and NIC MAC addresses.  Stored normalised: lowercase,
 * UUIDs as 8-4-4-4-12 hex, MACs as aa:bb:cc:dd:ee:ff. */
#ifndef GLASS_IDENTITY_H
#define GLASS_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

/* A MAC list bounded against hostile remote input: no real machine has
 * this many NICs. */
#define IDENTITY_MAX_MACS 64

struct identity {
	char *uuid;  /* NULL: unknown */
	char **macs;
	size_t n_macs;
};

/* Sets the UUID from any case, with or without dashes; an invalid or
 * all-zero / all-ff UUID (firmware that never set one) leaves it unknown.
 * Returns whether it was taken. */
bool identity_set_uuid(struct identity *id, const char *uuid);
/* Adds a MAC (any case); invalid, all-zero, broadcast and duplicate MACs
 * are skipped.  Returns whether it was added. */
bool identity_add_mac(struct identity *id, const char *mac);
void identity_copy(struct identity *dst, const struct identity *src);
void identity_done(struct identity *id);
bool identity_known(const struct identity *id);

/* The same machine by UUID: equal, or equal once the first three fields
 * of one are byte-swapped (SMBIOS before 2.6 stored them little-endian,
 * and some firmware still does). */
bool identity_uuid_match(const struct identity *a, const struct identity *b);
/* A MAC both carry; NULL when none. (borrowed from a) */
const char *identity_mac_common(const struct identity *a, const struct identity *b);

#endif
