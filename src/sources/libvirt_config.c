#include "glass/source_libvirt.h"

#include "glass/source_config.h"

/* No settings: a hypervisor is all in its URI, and libvirt takes any. */
const struct source_config libvirt_config = {
	.uri_key = "hypervisor",
};
