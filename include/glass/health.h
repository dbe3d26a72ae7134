/* health.h: how fresh and reachable a source is (DESIGN.md §1). */
#ifndef GLASS_HEALTH_H
#define GLASS_HEALTH_H

#include <stdbool.h>

enum health {
	HEALTH_CONNECTING,
	HEALTH_OK,
	HEALTH_STALE,
	HEALTH_UNREACHABLE,
};

/* "connecting", "ok", "stale", "unreachable". */
const char *health_name(enum health h);
/* The health a name spells (as health_name gives it); false for any other. */
bool health_parse(const char *name, enum health *out);

#endif
