#include "glass/errbuf.h"

#include <stdarg.h>
#include <stdio.h>

int errbuf_set(struct errbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void errbuf_clear(struct errbuf *err)
{
	if (err)
		err->msg[0] = '\0';
}

void glass_say(const char *fmt, ...)
{
	va_list ap;

	fputs("glass: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
