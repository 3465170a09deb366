// SPDX-License-Identifier: MIT
#include "loader/modules.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct module_file {
	const char *path;
	const char *what; /* "initrd" or "module[N]", for regions and messages */
	uint64_t size;
	int fd;
};

static int open_module(struct module_file *m, char *err, size_t errlen)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO given by mistake must fail, not wait for a writer. */
	m->fd = open(m->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (m->fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s %s: cannot open: %s", m->what, m->path, strerror(e));
		return -e;
	}
	if (fstat(m->fd, &st)) {
		int e = errno;
		snprintf(err, errlen, "%s %s: cannot stat: %s", m->what, m->path, strerror(e));
		return -e;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s: is a directory", m->what, m->path);
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		snprintf(err, errlen, "%s %s: %s", m->what, m->path,
		         S_ISREG(st.st_mode) ? "is empty" : "not a regular file");
		return -EINVAL;
	}
	m->size = (uint64_t)st.st_size;
	return 0;
}

static int read_module(const struct module_file *m, uint8_t *buf, char *err, size_t errlen)
{
	uint64_t done = 0;
	while (done < m->size) {
		ssize_t n = pread(m->fd, buf + done, m->size - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s %s: %s", m->what, m->path,
			         n < 0 ? strerror(errno) : "file shrank while being read");
			return n < 0 ? -errno : -EINVAL;
		}
		done += (uint64_t)n;
	}
	return 0;
}

/* Lowest page-rounded start of a region overlapping [lo, hi), or hi when none does. */
static gpa_t lowest_overlap(const struct region_list *l, gpa_t lo, gpa_t hi)
{
	gpa_t low = hi;
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		gpa_t s = PAGE_DOWN(g->gpa), e = PAGE_UP(g->gpa + g->size);
		if (g->size && s < hi && lo < e && s < low)
			low = s;
	}
	return low;
}

/* Finds the highest page-aligned gap below *top for size bytes; moves *top down to it. */
static int place_module(const struct region_list *l, const struct module_file *m, gpa_t *top,
                        gpa_t *gpa, char *err, size_t errlen)
{
	gpa_t t = *top;
	for (;;) {
		if (t < PVH_SEV_HIGH_RAM_GPA || m->size > t - PVH_SEV_HIGH_RAM_GPA) {
			snprintf(err, errlen,
			         "%s %s (%" PRIu64
			         " bytes) does not fit in guest RAM between 1 MiB "
			         "and 0x%" PRIx64,
			         m->what, m->path, m->size, *top);
			return -EINVAL;
		}
		gpa_t g = PAGE_DOWN(t - m->size),
		      below = lowest_overlap(l, g, PAGE_UP(g + m->size));
		if (below == PAGE_UP(g + m->size)) {
			*gpa = g;
			*top = g;
			return 0;
		}
		t = below; /* page aligned: skip below the region in the way and retry */
	}
}

static int load_one(struct module_file *m, struct region_list *l, gpa_t *top,
                    struct hvm_modlist_entry *mod, char *err, size_t errlen)
{
	gpa_t gpa;
	int r = open_module(m, err, errlen);
	if (!r)
		r = place_module(l, m, top, &gpa, err, errlen);
	if (r)
		return r;
	uint8_t *buf = malloc(m->size);
	if (!buf) {
		snprintf(err, errlen, "%s %s: out of memory for %" PRIu64 " bytes", m->what,
		         m->path, m->size);
		return -ENOMEM;
	}
	r = read_module(m, buf, err, errlen);
	if (!r)
		r = region_add_owned(l, m->what, REGION_MODULE, 0, gpa, m->size, buf, m->size);
	if (r) {
		free(buf);
		if (r == -ENOMEM)
			snprintf(err, errlen, "%s %s: out of memory", m->what, m->path);
		return r;
	}
	*mod = (struct hvm_modlist_entry){.paddr = gpa, .size = m->size};
	return 0;
}

int modules_load(const struct layout_params *p, struct region_list *l,
                 struct hvm_modlist_entry *mods, size_t *nmods, char *err, size_t errlen)
{
	uint64_t low_end =
	    p->mem_size < PVH_SEV_MMIO_HOLE_GPA ? p->mem_size : PVH_SEV_MMIO_HOLE_GPA;
	gpa_t top = PAGE_DOWN(low_end);
	size_t total = (p->initrd ? 1 : 0) + p->nmodules;
	*nmods = 0;
	for (size_t i = 0; i < total; i++) {
		char what[32];
		const char *path = p->initrd ? (i ? p->modules[i - 1] : p->initrd) : p->modules[i];
		if (p->initrd && i == 0)
			snprintf(what, sizeof(what), "initrd");
		else
			snprintf(what, sizeof(what), "module[%zu]", i);
		if (!path || !*path) {
			snprintf(err, errlen, "%s: no file name given", what);
			return -EINVAL;
		}
		struct module_file m = {.path = path, .what = what, .fd = -1};
		int r = load_one(&m, l, &top, &mods[i], err, errlen);
		if (m.fd >= 0)
			close(m.fd);
		if (r)
			return r;
		*nmods = i + 1;
	}
	return 0;
}
