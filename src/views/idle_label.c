#include "glass/idle_label.h"

#include <stdio.h>
#include <string.h>

#include "glass/units.h"
#include "glass/value.h"

void idle_label(const struct node *n, char *out, size_t len)
{
	char cpu[32] = "", mem[32] = "";
	bool prov = n->idle_cpu.provisional || n->idle_mem.provisional;

	out[0] = '\0';
	if (!n->idle_cpu.idle && !n->idle_mem.idle)
		return;
	if (n->idle_cpu.idle) {
		units_number(n->idle_cpu.idle_amount, 1, cpu, sizeof(cpu));
		strncat(cpu, "c", sizeof(cpu) - strlen(cpu) - 1);
	}
	if (n->idle_mem.idle)
		units_bytes(n->idle_mem.idle_amount, mem, sizeof(mem));
	snprintf(out, len, "%s%s%s%s%s", prov ? "idle?" : "idle", *cpu ? " " : "", cpu,
		 *mem ? " " : "", mem);
}

void idle_hint(const struct node *n, int utf8, char *out, size_t len)
{
	const char *arrow = utf8 ? " \xe2\x86\x92 " : " -> ";
	char a[32], b[32];
	size_t used = 0;

	out[0] = '\0';
	if (n->idle_cpu.idle && value_known(n->idle_cpu.right_size)) {
		units_cores(n->res.cpu_cores_allocated, a, sizeof(a));
		units_cores(n->idle_cpu.right_size, b, sizeof(b));
		used += (size_t)snprintf(out, len, "%s%s%s %s", a, arrow, b,
					 n->kind == NODE_VM ? "vCPU" : "cores");
	}
	if (n->idle_mem.idle && value_known(n->idle_mem.right_size) && used < len) {
		units_bytes(n->res.mem_bytes_allocated, a, sizeof(a));
		units_bytes(n->idle_mem.right_size, b, sizeof(b));
		snprintf(out + used, len - used, "%s%s%s%s", used ? ", " : "", a, arrow, b);
	}
}
