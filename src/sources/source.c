#include "glass/source.h"

#include <stdlib.h>

void source_free(struct source *src)
{
	if (!src)
		return;
	if (src->ops && src->ops->free)
		src->ops->free(src);
	free(src->name);
	free(src);
}
