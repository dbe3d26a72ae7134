#include "glass/metric.h"

#include <string.h>

#include "glass/rates.h"
#include "glass/value.h"

#include "glass/clock.h"
#include "glass/power.h"

/* What one node can hold, far above any real machine: outside it a
 * figure read from a snapshot is not a measurement (-64 cores, 1e308
 * bytes) and reads as unknown.  2^53 is the largest whole number a double
 * keeps exact. */
#define MAX_WHOLE 9007199254740992.0
#define MAX_CORES 1048576.0
#define MAX_MONEY 1e15
#define MAX_RATIO 1e6

#define RES(f) offsetof(struct resources, f)
#define RAW(f) offsetof(struct raw_node, f)

/* A gauge: key, JSON key and group, unit, flags, field, bound, column
 * title and width, Prometheus name and help, where the raw reading has it */
#define GAUGE(key, jkey, grp, unit, flags, field, max, title, width, prom, help, rawk, rawf) \
	{key, jkey, grp, unit, (flags) | METRIC_LAID_OUT, RES(field), max, title, width, prom, help, rawk, RAW(rawf), 0, 0, NULL, METRIC_IN_RESOURCES}
/* A rate from a counter: the raw counter, the source's own rate, the scale */
#define RATE(key, unit, field, max, title, width, prom, help, counter, given, scale) \
	{key, key, METRIC_GROUP_NODE, unit, METRIC_LAID_OUT, RES(field), max, title, width, prom, help, \
	 METRIC_RAW_RATE, RAW(counter), RAW(given), scale, NULL, METRIC_IN_RESOURCES}
/* Worked out on the finished tree (power, energy and its cost) */
#define DERIVED(key, unit, flags, field, max, title, width, prom, help) \
	{key, key, METRIC_GROUP_NODE, unit, flags, RES(field), max, title, width, prom, help, \
	 METRIC_RAW_NONE, 0, 0, 0, NULL, METRIC_IN_RESOURCES}
#define PRESSURE(key, jkey, field, title, prom, help) \
	GAUGE(key, jkey, METRIC_GROUP_PRESSURE, METRIC_PERCENT, 0, field, 100, title, 10, prom, help, \
	      METRIC_RAW_DOUBLE, field)
#define LOAD(key, i, title, prom, help) \
	GAUGE(key, NULL, METRIC_GROUP_LOAD, METRIC_LOAD, METRIC_HOSTS_ONLY, load[i], MAX_RATIO, title, \
	      7, prom, help, METRIC_RAW_DOUBLE, load[i])

static const struct metric builtin[] = {
	GAUGE("cpu_cores_allocated", "cpu_cores_allocated", METRIC_GROUP_NODE, METRIC_CORES, 0,
	      cpu_cores_allocated, MAX_CORES, "CPU_ALLOC", 10, "glass_cpu_allocated_cores",
	      "Cores the node was given (host: logical CPUs, vm: vCPUs, container: quota).",
	      METRIC_RAW_DOUBLE, cpu_cores_allocated),
	RATE("cpu_cores_used", METRIC_CORES, cpu_cores_used, MAX_CORES, "CPU_USED", 10,
	     "glass_cpu_used_cores", "Cores in use over the last interval (1 = one core busy).",
	     cpu_time_ns, given_cpu_cores, (double)NS_PER_S),
	GAUGE("memory_bytes_allocated", "memory_bytes_allocated", METRIC_GROUP_NODE, METRIC_BYTES, 0,
	      mem_bytes_allocated, MAX_WHOLE, "MEM_ALLOC", 11, "glass_memory_allocated_bytes",
	      "Memory the node was given (a VM: what its balloon holds now).", METRIC_RAW_U64,
	      mem_allocated),
	GAUGE("memory_bytes_max", "memory_bytes_max", METRIC_GROUP_NODE, METRIC_BYTES, 0, mem_bytes_max,
	      MAX_WHOLE, "MEM_MAX", 10, "glass_memory_max_bytes",
	      "The most memory a VM's balloon may grow to.", METRIC_RAW_U64, mem_max),
	GAUGE("memory_bytes_used", "memory_bytes_used", METRIC_GROUP_NODE, METRIC_BYTES, 0,
	      mem_bytes_used, MAX_WHOLE, "MEM_USED", 10, "glass_memory_used_bytes", "Memory in use.",
	      METRIC_RAW_U64, mem_used),
	/* how mem_used was measured: copied by the model with it */
	{"memory_source", "memory_source", METRIC_GROUP_NODE, METRIC_TEXT, METRIC_LAID_OUT, RES(mem_source), 0,
	 "MEM_SRC", 8, NULL, NULL, METRIC_RAW_NONE, 0, 0, 0, NULL, METRIC_IN_RESOURCES},
	RATE("disk_read_bytes_per_second", METRIC_RATE, disk_read_bps, MAX_WHOLE, "DISK_R/s", 10,
	     "glass_disk_read_bytes_per_second", "Bytes read from disks per second.",
	     disk_read_bytes, given_disk_read_bps, 1),
	RATE("disk_write_bytes_per_second", METRIC_RATE, disk_write_bps, MAX_WHOLE, "DISK_W/s", 10,
	     "glass_disk_written_bytes_per_second", "Bytes written to disks per second.",
	     disk_write_bytes, given_disk_write_bps, 1),
	RATE("net_rx_bytes_per_second", METRIC_RATE, net_rx_bps, MAX_WHOLE, "NET_RX/s", 12,
	     "glass_network_receive_bytes_per_second", "Bytes received per second.", net_rx_bytes,
	     given_net_rx_bps, 1),
	RATE("net_tx_bytes_per_second", METRIC_RATE, net_tx_bps, MAX_WHOLE, "NET_TX/s", 12,
	     "glass_network_transmit_bytes_per_second", "Bytes sent per second.", net_tx_bytes,
	     given_net_tx_bps, 1),
	GAUGE("pids_current", "pids_current", METRIC_GROUP_NODE, METRIC_COUNT, 0, pids_current,
	      MAX_WHOLE, "PIDS", 7, "glass_pids", "Processes (tasks) in the node.", METRIC_RAW_U64,
	      pids_current),
	GAUGE("pids_max", "pids_max", METRIC_GROUP_NODE, METRIC_COUNT, 0, pids_max, MAX_WHOLE,
	      "PIDS_MAX", 9, "glass_pids_max", "The node's limit on processes.", METRIC_RAW_U64,
	      pids_max),
	PRESSURE("pressure_cpu_some", "cpu_some", psi_some[PSI_CPU], "PSI_CPU",
		 "glass_pressure_cpu_some_percent",
		 "Share of time some tasks waited for cpu (PSI some, avg10)."),
	PRESSURE("pressure_cpu_full", "cpu_full", psi_full[PSI_CPU], "PSI_CPU_F",
		 "glass_pressure_cpu_full_percent",
		 "Share of time all tasks waited for cpu (PSI full, avg10)."),
	PRESSURE("pressure_memory_some", "memory_some", psi_some[PSI_MEMORY], "PSI_MEM",
		 "glass_pressure_memory_some_percent",
		 "Share of time some tasks waited for memory (PSI some, avg10)."),
	PRESSURE("pressure_memory_full", "memory_full", psi_full[PSI_MEMORY], "PSI_MEM_F",
		 "glass_pressure_memory_full_percent",
		 "Share of time all tasks waited for memory (PSI full, avg10)."),
	PRESSURE("pressure_io_some", "io_some", psi_some[PSI_IO], "PSI_IO",
		 "glass_pressure_io_some_percent",
		 "Share of time some tasks waited for io (PSI some, avg10)."),
	PRESSURE("pressure_io_full", "io_full", psi_full[PSI_IO], "PSI_IO_F",
		 "glass_pressure_io_full_percent",
		 "Share of time all tasks waited for io (PSI full, avg10)."),
	DERIVED("power_watts", METRIC_WATTS, METRIC_LAID_OUT, power_watts, MAX_WHOLE, "W", 7, "glass_power_watts",
		"Watts the node burns: measured (RAPL, IPMI), modelled, or its share of its parent's."),
	{"power_source", "power_source", METRIC_GROUP_NODE, METRIC_TEXT, METRIC_LAID_OUT, RES(power_source), 0,
	 "W_SRC", 10, NULL, NULL, METRIC_RAW_NONE, 0, 0, 0, power_source_static, METRIC_IN_RESOURCES},
	/* Prometheus has it as a counter with its source (prom.c) */
	DERIVED("energy_joules", METRIC_JOULES, 0, energy_joules, MAX_WHOLE, "JOULES", 12, NULL, NULL),
	DERIVED("energy_kwh_per_month", METRIC_MONTHLY, METRIC_LAID_OUT, energy_kwh_month, MAX_WHOLE, "KWH/MONTH", 10,
		"glass_energy_kwh_per_month",
		"Energy per month at the node's watts, with the facility overhead (PUE)."),
	DERIVED("energy_cost_per_month", METRIC_MONTHLY, METRIC_LAID_OUT, energy_cost_month, MAX_MONEY, "ENERGY/MONTH",
		13, "glass_energy_cost_per_month",
		"Energy cost per month (cost.kwh), apart from the hardware's."),
	DERIVED("co2_kg_per_month", METRIC_MONTHLY, METRIC_LAID_OUT, co2_kg_month, MAX_WHOLE, "CO2_KG/MONTH", 13,
		"glass_co2_kg_per_month", "kg CO2 per month (carbon.g_per_kwh)."),
	GAUGE("memory_bytes_available", "memory_bytes_available", METRIC_GROUP_NODE, METRIC_BYTES,
	      METRIC_HOSTS_ONLY, mem_bytes_available, MAX_WHOLE, "MEM_AVAIL", 10,
	      "glass_memory_available_bytes", "A host's available memory (MemAvailable).",
	      METRIC_RAW_U64, mem_available),
	GAUGE("swap_bytes_total", "swap_bytes_total", METRIC_GROUP_NODE, METRIC_BYTES,
	      METRIC_HOSTS_ONLY, swap_bytes_total, MAX_WHOLE, "SWAP", 10, "glass_swap_total_bytes",
	      "A host's swap space.", METRIC_RAW_U64, swap_total),
	GAUGE("swap_bytes_used", "swap_bytes_used", METRIC_GROUP_NODE, METRIC_BYTES,
	      METRIC_HOSTS_ONLY, swap_bytes_used, MAX_WHOLE, "SWAP_USED", 10, "glass_swap_used_bytes",
	      "A host's swap space in use.", METRIC_RAW_U64, swap_used),
	LOAD("load_1", 0, "LOAD1", "glass_load1", "A host's 1-minute load average."),
	LOAD("load_5", 1, "LOAD5", "glass_load5", "A host's 5-minute load average."),
	LOAD("load_15", 2, "LOAD15", "glass_load15", "A host's 15-minute load average."),
};

/* A VM's joined guest, as its own OS sees itself (node.h struct guest_view):
 * key, JSON key, group, unit, field, bound, column, Prometheus family */
#define GUEST(key, jkey, grp, unit, field, max, title, width, prom, help) \
	{key, jkey, grp, unit, METRIC_LAID_OUT, offsetof(struct guest_view, field), max, title, width, \
	 prom, help, METRIC_RAW_NONE, 0, 0, 0, NULL, METRIC_IN_GUEST}
#define GUEST_PRESSURE(key, jkey, field, title, prom, help) \
	GUEST(key, jkey, METRIC_GROUP_PRESSURE, METRIC_PERCENT, field, 100, title, 10, prom, help)
#define GUEST_LOAD(key, i, title, prom, help) \
	GUEST(key, NULL, METRIC_GROUP_LOAD, METRIC_LOAD, load[i], MAX_RATIO, title, 8, prom, help)

static const struct metric guest_rows[] = {
	GUEST("guest_cpu_cores", "cpu_cores", METRIC_GROUP_NODE, METRIC_CORES, cpu_cores, MAX_CORES,
	      "G_CPUS", 7, "glass_guest_cpu_cores",
	      "A VM's joined guest: its logical CPUs as the guest OS sees them."),
	GUEST("guest_cpu_cores_used", "cpu_cores_used", METRIC_GROUP_NODE, METRIC_CORES, cpu_cores_used,
	      MAX_CORES, "G_CPU_USED", 11, "glass_guest_cpu_used_cores",
	      "A VM's joined guest: cores in use as the guest OS sees them."),
	GUEST("guest_memory_bytes_total", "memory_bytes_total", METRIC_GROUP_NODE, METRIC_BYTES,
	      mem_bytes_total, MAX_WHOLE, "G_MEM", 10, "glass_guest_memory_total_bytes",
	      "A VM's joined guest: its memory as the guest OS sees it (MemTotal)."),
	GUEST("guest_memory_bytes_used", "memory_bytes_used", METRIC_GROUP_NODE, METRIC_BYTES,
	      mem_bytes_used, MAX_WHOLE, "G_MEM_USED", 11, "glass_guest_memory_used_bytes",
	      "A VM's joined guest: memory in use as the guest OS sees it."),
	GUEST("guest_memory_bytes_available", "memory_bytes_available", METRIC_GROUP_NODE, METRIC_BYTES,
	      mem_bytes_available, MAX_WHOLE, "G_MEM_AVAIL", 12, "glass_guest_memory_available_bytes",
	      "A VM's joined guest: MemAvailable in the guest."),
	GUEST_LOAD("guest_load_1", 0, "G_LOAD1", "glass_guest_load1",
		   "A VM's joined guest: its 1-minute load average."),
	GUEST_LOAD("guest_load_5", 1, "G_LOAD5", "glass_guest_load5",
		   "A VM's joined guest: its 5-minute load average."),
	GUEST_LOAD("guest_load_15", 2, "G_LOAD15", "glass_guest_load15",
		   "A VM's joined guest: its 15-minute load average."),
	GUEST_PRESSURE("guest_pressure_cpu_some", "cpu_some", psi_some[PSI_CPU], "G_PSI_CPU",
		       "glass_guest_pressure_cpu_some_percent",
		       "A VM's joined guest: cpu pressure (some, avg10)."),
	GUEST_PRESSURE("guest_pressure_cpu_full", "cpu_full", psi_full[PSI_CPU], "G_PSI_CPU_F",
		       "glass_guest_pressure_cpu_full_percent",
		       "A VM's joined guest: cpu pressure (full, avg10)."),
	GUEST_PRESSURE("guest_pressure_memory_some", "memory_some", psi_some[PSI_MEMORY], "G_PSI_MEM",
		       "glass_guest_pressure_memory_some_percent",
		       "A VM's joined guest: memory pressure (some, avg10)."),
	GUEST_PRESSURE("guest_pressure_memory_full", "memory_full", psi_full[PSI_MEMORY], "G_PSI_MEM_F",
		       "glass_guest_pressure_memory_full_percent",
		       "A VM's joined guest: memory pressure (full, avg10)."),
	GUEST_PRESSURE("guest_pressure_io_some", "io_some", psi_some[PSI_IO], "G_PSI_IO",
		       "glass_guest_pressure_io_some_percent",
		       "A VM's joined guest: io pressure (some, avg10)."),
	GUEST_PRESSURE("guest_pressure_io_full", "io_full", psi_full[PSI_IO], "G_PSI_IO_F",
		       "glass_guest_pressure_io_full_percent",
		       "A VM's joined guest: io pressure (full, avg10)."),
	GUEST("inner_cpu_cores_allocated", "inner_cpu_cores_allocated", METRIC_GROUP_NODE, METRIC_CORES,
	      inner_cpu_allocated, MAX_CORES, "IN_ALLOC_C", 11, "glass_guest_inner_allocated_cores",
	      "A VM's vCPUs its guest's containers were given."),
	GUEST("inner_cpu_cores_unallocated", "inner_cpu_cores_unallocated", METRIC_GROUP_NODE,
	      METRIC_CORES, inner_cpu_unallocated, MAX_CORES, "IN_UNALLOC_C", 13,
	      "glass_guest_inner_unallocated_cores", "A VM's vCPUs its guest's containers were not given."),
	GUEST("inner_memory_bytes_allocated", "inner_memory_bytes_allocated", METRIC_GROUP_NODE,
	      METRIC_BYTES, inner_mem_allocated, MAX_WHOLE, "IN_ALLOC_M", 11,
	      "glass_guest_inner_allocated_bytes", "A VM's memory its guest's containers were given."),
	GUEST("inner_memory_bytes_unallocated", "inner_memory_bytes_unallocated", METRIC_GROUP_NODE,
	      METRIC_BYTES, inner_mem_unallocated, MAX_WHOLE, "IN_UNALLOC_M", 13,
	      "glass_guest_inner_unallocated_bytes", "A VM's memory its guest's containers were not given."),
};

const struct metric *guest_metrics_all(size_t *n)
{
	*n = sizeof(guest_rows) / sizeof(guest_rows[0]);
	return guest_rows;
}

static const struct metric *rows = builtin;
static size_t n_rows = sizeof(builtin) / sizeof(builtin[0]);

const struct metric *metrics_all(size_t *n)
{
	*n = n_rows;
	return rows;
}

void metrics_use(const struct metric *table, size_t n)
{
	rows = table ? table : builtin;
	n_rows = table ? n : sizeof(builtin) / sizeof(builtin[0]);
}

const struct metric *metric_find(const char *key)
{
	for (size_t i = 0; i < n_rows; i++)
		if (strcmp(rows[i].key, key) == 0)
			return &rows[i];
	return NULL;
}

int metric_decimals(enum metric_unit unit)
{
	switch (unit) {
	case METRIC_CORES:
		return 4;
	case METRIC_BYTES:
	case METRIC_COUNT:
		return -1;
	case METRIC_RATE:
	case METRIC_WATTS:
	case METRIC_JOULES:
		return 1;
	case METRIC_PERCENT:
	case METRIC_LOAD:
	case METRIC_MONTHLY:
		return 2;
	case METRIC_TEXT:
		break;
	}
	return 0;
}

void metric_to_raw(struct raw_node *r, const struct resources *res, uint64_t counter[METRIC_RATES_MAX],
		   double dt_s)
{
	size_t k = 0;

	for (size_t i = 0; i < n_rows; i++) {
		const struct metric *m = &rows[i];
		double v = m->unit == METRIC_TEXT ? GLASS_UNKNOWN : metric_value(m, res);

		switch (m->raw) {
		case METRIC_RAW_U64:
			*metric_raw_u64_slot(m, r) = value_to_u64(v);
			break;
		case METRIC_RAW_DOUBLE:
			*metric_raw_double_slot(m, r) = v;
			break;
		case METRIC_RAW_RATE:
			if (k == METRIC_RATES_MAX)
				break;
			counter[k] = rate_integrate(counter[k], v, dt_s, m->rate_scale);
			*metric_raw_u64_slot(m, r) = counter[k++];
			*metric_raw_given_slot(m, r) = v;
			break;
		case METRIC_RAW_NONE:
			break;
		}
	}
}

void metric_gauges_from_raw(struct resources *res, const struct raw_node *r)
{
	for (size_t i = 0; i < n_rows; i++) {
		const struct metric *m = &rows[i];

		if (m->raw == METRIC_RAW_U64)
			*metric_slot(m, res) = value_from_u64(metric_raw_u64(m, r));
		else if (m->raw == METRIC_RAW_DOUBLE)
			*metric_slot(m, res) = metric_raw_double(m, r);
	}
}

void metric_fill_gaps(struct resources *res, const struct raw_node *r)
{
	for (size_t i = 0; i < n_rows; i++) {
		const struct metric *m = &rows[i];
		double *v = m->unit == METRIC_TEXT ? NULL : metric_slot(m, res);

		if (!v || value_known(*v))
			continue;
		if (m->raw == METRIC_RAW_U64)
			*v = value_from_u64(metric_raw_u64(m, r));
		else if (m->raw == METRIC_RAW_DOUBLE)
			*v = metric_raw_double(m, r);
		else if (m->raw == METRIC_RAW_RATE)
			*v = metric_raw_given(m, r);
	}
}
