/* source_ipmi.h: a host's watts from its BMC through FreeIPMI (DESIGN.md
 * §4): DCMI Get Power Reading where the BMC has it, else a sensor in
 * watts from its SDR repository; in-band through the local BMC's device
 * (ipmi://) or over the network (ipmi+lan://, ipmi+lanplus://).
 *
 * The password comes from a file (ipmi.password_file, or the URI's
 * password_file parameter), is kept in memory only for the session and
 * is never printed nor passed to another process. */
#ifndef GLASS_SOURCE_IPMI_H
#define GLASS_SOURCE_IPMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "glass/errbuf.h"
#include "glass/source.h"
#include "glass/source_config.h"

enum ipmi_mode {
	IPMI_INBAND,  /* ipmi:// : this host's BMC, /dev/ipmi0 */
	IPMI_LAN,     /* ipmi+lan:// : IPMI 1.5, MD5 */
	IPMI_LANPLUS, /* ipmi+lanplus:// : IPMI 2.0 RMCP+, cipher suite 3 */
};

/* The longest password IPMI takes (2.0; 1.5 takes 16). */
#define IPMI_PASSWORD_MAX 20
/* Where the local BMC's device is (the ipmi_devintf module). */
#define IPMI_INBAND_DEVICE "/dev/ipmi0"

/* ipmi://[?query] or ipmi+lan[plus]://[user@]bmc[:port][/][?query];
 * query: host=NAME (the host node the watts belong to; default this
 * host), sensor=NAME (the SDR sensor to read; default DCMI, else a
 * system or PSU sensor in watts), password_file=PATH. */
struct ipmi_target {
	enum ipmi_mode mode;
	char *user;          /* NULL: none (in-band, or the anonymous user) */
	char *address;       /* the BMC's name or IPv4 address; NULL in-band */
	char *port;          /* NULL: 623 */
	char *host_name;     /* NULL: this host */
	char *sensor;        /* NULL: DCMI, else the best sensor in watts */
	char *password_file; /* NULL: ipmi.password_file */
};

/* True when uri is one of the ipmi schemes (whether or not glass was
 * built with FreeIPMI: without it, source_ipmi_new says so). */
bool source_ipmi_uri(const char *uri);
/* 0, or -1 with why in err (the URI in it redacted). */
int ipmi_target_parse(const char *uri, struct ipmi_target *t, struct errbuf *err);
void ipmi_target_done(struct ipmi_target *t);
/* The password: the file's first line without its line end, at most
 * IPMI_PASSWORD_MAX bytes, into buf (len > IPMI_PASSWORD_MAX).  0, or -1
 * with why in err (never the file's bytes). */
int ipmi_password_read(const char *path, char *buf, size_t len, struct errbuf *err);

/* Its settings (config ipmi.*, ipmi_config.c); `ipmi = URI` watches a
 * BMC as -c does. */
struct ipmi_settings {
	char *password_file; /* ipmi.password_file: for ipmi+lan[plus]://; NULL: none */
};
extern const struct source_config ipmi_config;

struct ipmi_params {
	const char *password_file; /* ipmi.password_file; NULL: none */
	FILE *notice;              /* where "no local BMC" is said, once */
};

/* A source for uri.  NULL with err on a bad URI or an unreadable
 * password file; NULL without an error when there is nothing to read
 * (in-band without a BMC device: said once on notice, the watts come
 * from the power model); NULL with err when glass was built without
 * FreeIPMI.  Nothing blocks here: the BMC is first asked on the source's
 * poller thread. */
struct source *source_ipmi_new(const char *uri, const struct ipmi_params *p, struct errbuf *err);

#endif
