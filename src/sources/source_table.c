#include "glass/source_table.h"

#include <string.h>
#include <unistd.h>

#include "glass/source_cgroup.h"
#include "glass/source_host.h"
#include "glass/source_ipmi.h"
#include "glass/source_libvirt.h"
#include "glass/source_power.h"
#include "glass/source_prometheus.h"
#include "glass/source_remote.h"

static struct source *make_host_local(struct source_env *env, struct errbuf *err)
{
	(void)err;
	return env->opts->no_local ? NULL : source_host_new();
}

/* The local cgroups sit beside the host; --cgroup-root names a tree to
 * read even with --no-local (a fixture, another mount). */
static struct source *make_cgroup_local(struct source_env *env, struct errbuf *err)
{
	const struct options *o = env->opts;
	const struct cgroup_settings *s = source_cgroup_settings(o);
	struct source_cgroup_config cc = {
		.root = source_cgroup_root(o),
		.docker_root = s->docker_root,
		.podman_root = s->podman_root,
		.k8s_log_dir = s->k8s_log_dir,
	};

	(void)err;
	if (o->no_local && !(o->set_on_cli & OPTSET_CGROUP_ROOT))
		return NULL;
	return source_cgroup_new(&cc);
}

/* This host's watts: RAPL, where its counters can be read; else the local
 * BMC, where this host has its device (without one, most machines,
 * nothing is said: ipmi:// asks for it); else the power model. */
static struct source *make_meter_local(struct source_env *env, struct errbuf *err)
{
	const struct options *o = env->opts;
	bool named = o->set_on_cli & OPTSET_POWERCAP_ROOT;
	struct ipmi_params ip = {NULL, stderr};
	struct source *meter;

	if (o->no_local && !named)
		return NULL;
	meter = source_rapl_new(o->powercap_root, named, stderr, err);
	if (meter || err->msg[0] || o->no_local || access(IPMI_INBAND_DEVICE, F_OK) != 0)
		return meter;
	meter = source_ipmi_new("ipmi://", &ip, err);
	errbuf_clear(err); /* a glass built without FreeIPMI models the watts */
	return meter;
}

static struct source *make_ipmi(const char *uri, struct source_env *env, struct errbuf *err)
{
	const struct ipmi_settings *s = source_settings(env->opts, &ipmi_config);
	struct ipmi_params ip = {s->password_file, stderr};

	return source_ipmi_new(uri, &ip, err);
}

static struct source *make_remote(const char *uri, struct source_env *env, struct errbuf *err)
{
	const struct remote_settings *s = source_settings(env->opts, &remote_config);
	struct remote_params rp = {s->ssh, s->command, env->opts->interval_s, s->max_nodes,
				   env->local_host_id};

	return source_remote_new(uri, &rp, err);
}

static bool claims_any(const char *uri)
{
	(void)uri;
	return true;
}

/* --no-libvirt (a far glass) watches no hypervisor: its URIs add nothing. */
static struct source *make_libvirt(const char *uri, struct source_env *env, struct errbuf *err)
{
	(void)err;
	return env->opts->no_libvirt ? NULL : source_libvirt_new(uri);
}

static bool claims_prometheus(const char *uri)
{
	return strncmp(uri, PROMETHEUS_SCHEME, strlen(PROMETHEUS_SCHEME)) == 0;
}

static struct source *make_prometheus(const char *uri, struct source_env *env, struct errbuf *err)
{
#ifdef HAVE_LIBCURL
	const struct prometheus_settings *s = source_settings(env->opts, &prometheus_config);
	/* remote.max_nodes caps a fleet source's snapshot as a remote's */
	const struct remote_settings *rs = source_settings(env->opts, &remote_config);
	struct prometheus_params pp = {env->opts->interval_s, rs->max_nodes, s->user, s->password_file,
				       s->bearer_token_file};

	return source_prometheus_new(uri, &pp, err);
#else
	(void)uri;
	(void)env;
	errbuf_set(err, "prometheus+http: this glass was built without libcurl "
			"(install libcurl4-openssl-dev and run configure again)");
	return NULL;
#endif
}

/* Rank order.  A host's own numbers come from the local host or its
 * remote glass before a hypervisor's view of it; a bare host node a
 * cgroup source adds only fills a gap; a BMC's watts (the whole machine
 * at the wall) before RAPL's (its cpus and memory). */
const struct source_type source_types[] = {
	{"host", NULL, NULL, NULL, NULL, make_host_local},
	{"remote", REMOTE_SCHEME, &remote_config, source_remote_uri, make_remote, NULL},
	{"libvirt", "any libvirt URI", &libvirt_config, claims_any, make_libvirt, NULL},
	{"cgroup", NULL, &cgroup_config, NULL, NULL, make_cgroup_local},
	{"ipmi", "ipmi:// ipmi+lan:// ipmi+lanplus://", &ipmi_config, source_ipmi_uri, make_ipmi, NULL},
	{"rapl", NULL, NULL, NULL, NULL, make_meter_local},
	{"prometheus", PROMETHEUS_SCHEME "http[s]://", &prometheus_config, claims_prometheus, make_prometheus,
	 NULL},
};
const size_t n_source_types = sizeof(source_types) / sizeof(source_types[0]);

int source_type_rank(const char *kind)
{
	for (size_t i = 0; i < n_source_types; i++)
		if (kind && strcmp(kind, source_types[i].kind) == 0)
			return (int)i;
	return (int)n_source_types;
}

const struct source_type *source_type_for_uri(const char *uri)
{
	const struct source_type *fallback = NULL;

	for (size_t i = 0; i < n_source_types; i++) {
		if (!source_types[i].claims)
			continue;
		if (source_types[i].claims == claims_any)
			fallback = &source_types[i];
		else if (source_types[i].claims(uri))
			return &source_types[i];
	}
	return fallback;
}
