#include "glass/source_ipmi.h"

#include <stdlib.h>

#include "glass/uri.h"

/* glass built without FreeIPMI: an ipmi URI is refused in one line. */
struct source *source_ipmi_new(const char *uri, const struct ipmi_params *p, struct errbuf *err)
{
	struct ipmi_target t;
	char *redacted;

	(void)p;
	/* a malformed URI is said as such first, as with FreeIPMI */
	if (ipmi_target_parse(uri, &t, err) < 0)
		return NULL;
	ipmi_target_done(&t);
	redacted = uri_redact(uri);
	errbuf_set(err, "%s: this glass was built without FreeIPMI (configure found no libfreeipmi)",
		   redacted);
	free(redacted);
	return NULL;
}
