/* source_prometheus.h: a fleet read through Prometheus's HTTP API
 * (prometheus+http://HOST:PORT[/prefix], prometheus+https://...).
 *
 * A handful of instant queries per refresh, whatever the fleet's size:
 * the trees of every host that runs `glass --serve` (glass_node_info and
 * the glass_* gauges); hosts from node_exporter and VMs from
 * prometheus-libvirt-exporter where glass does not run; `up` for which
 * targets are down (with Prometheus's lastError).  Built with libcurl
 * (HAVE_LIBCURL). */
#ifndef GLASS_SOURCE_PROMETHEUS_H
#define GLASS_SOURCE_PROMETHEUS_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/history.h"
#include "glass/source.h"
#include "glass/source_config.h"

#define PROMETHEUS_SCHEME "prometheus+"

/* Its settings (config prometheus.*, prometheus_config.c, built with or
 * without libcurl): the user, and files holding the password or a bearer
 * token, never the secrets themselves. */
struct prometheus_settings {
	char *user;
	char *password_file;
	char *bearer_token_file;
};
extern const struct source_config prometheus_config;

struct prometheus_params {
	double interval_s;
	size_t max_nodes; /* past it the source fails; 0: REMOTE_MAX_NODES */
	/* credentials, read from files the config names; never in a URI */
	const char *user;
	const char *password_file;
	const char *bearer_token_file;
};

bool source_prometheus_uri(const char *uri);
/* NULL with err for a URI glass does not take (credentials in it, a
 * scheme other than http or https, no host), or a credential file that
 * cannot be read. */
struct source *source_prometheus_new(const char *uri, const struct prometheus_params *params,
				     struct errbuf *err);

/* The idle window from Prometheus's own history, in one query before the
 * first refresh: for every glass exporter's node, the average
 * utilization over window_s (avg_over_time of use / of allocation), how
 * long Prometheus has watched it, the p95 and the max of its use; each
 * handed to fn as the history store hands its statistics.  -1 with err
 * (the source's name and Prometheus's reason). */
int source_prometheus_window(struct source *src, double window_s, history_stats_fn fn, void *arg,
			     struct errbuf *err);

#endif
