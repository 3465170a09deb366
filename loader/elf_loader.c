// SPDX-License-Identifier: MIT
/*
 * Every size libelf reports is checked against the file size before anything is read, and
 * segment and note bytes are read with pread() into buffers of validated length: a hostile
 * file can make us fail, never crash, hang or allocate without bound.
 */
#include "loader/elf_loader.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/elf_file.h"
#include "loader/elf_note.h"

int elf_fail(struct elf_file *f, int r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (f->err && f->errlen)
		snprintf(f->err, f->errlen, "%s: %s", f->path, msg);
	return r;
}

int elf_pread_all(struct elf_file *f, void *buf, uint64_t len, uint64_t off)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = pread(f->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return elf_fail(f, -errno, "read failed: %s", strerror(errno));
		if (n == 0)
			return elf_fail(f, -EINVAL, "file shrank while being read");
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* Whether [off, off+len) lies inside the file, without overflow. */
int elf_in_file(const struct elf_file *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

static int elf_open(struct elf_file *f)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it. */
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (f->fd < 0)
		return elf_fail(f, -errno, "cannot open: %s", strerror(errno));
	if (fstat(f->fd, &st))
		return elf_fail(f, -errno, "cannot stat: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return elf_fail(f, -EISDIR, "is a directory, not a kernel file");
	if (!S_ISREG(st.st_mode))
		return elf_fail(f, -EINVAL, "not a regular file");
	f->size = (uint64_t)st.st_size;
	return 0;
}

static int elf_check_ident(struct elf_file *f)
{
	unsigned char id[EI_NIDENT];
	if (f->size < EI_NIDENT)
		return elf_fail(f, -EINVAL, "not an ELF file (only %" PRIu64 " bytes)", f->size);
	int r = elf_pread_all(f, id, sizeof(id), 0);
	if (r)
		return r;
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return elf_fail(f, -EINVAL, "not an ELF file (bad magic)");
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return elf_fail(f, -EINVAL, "unsupported ELF class %u (expected 32- or 64-bit)",
		                id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return elf_fail(f, -EINVAL, "not a little-endian ELF file (data encoding %u)",
		                id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return elf_fail(f, -EINVAL, "unsupported ELF version %u", id[EI_VERSION]);
	f->cls = id[EI_CLASS];
	uint64_t ehsize = f->cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (f->size < ehsize)
		return elf_fail(f, -EINVAL,
		                "truncated ELF header (%" PRIu64 " of %" PRIu64 " bytes)", f->size,
		                ehsize);
	return 0;
}

static int elf_check_ehdr(struct elf_file *f, GElf_Ehdr *eh)
{
	if (!gelf_getehdr(f->elf, eh))
		return elf_fail(f, -EINVAL, "unreadable ELF header: %s", elf_errmsg(-1));
	int bits = f->cls == ELFCLASS32 ? 32 : 64;
	if (eh->e_machine != EM_X86_64 && !(eh->e_machine == EM_386 && bits == 32))
		return elf_fail(f, -EINVAL, "wrong machine %u for a %d-bit ELF (expected %s)",
		                eh->e_machine, bits,
		                bits == 32 ? "EM_386 or EM_X86_64" : "EM_X86_64");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return elf_fail(f, -EINVAL, "ELF type %u is not an executable", eh->e_type);
	uint64_t phent = bits == 32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	if (eh->e_phentsize != phent)
		return elf_fail(f, -EINVAL, "program header entry size %u (expected %" PRIu64 ")",
		                eh->e_phentsize, phent);
	/*
	 * e_phnum itself, not elf_getphdrnum(): libelf silently shrinks the count to what fits in
	 * the file, which would hide truncated headers. PN_XNUM (extended numbering) only serves
	 * counts far above our cap.
	 */
	size_t phnum = eh->e_phnum;
	if (phnum == PN_XNUM)
		return elf_fail(f, -EINVAL,
		                "extended program header numbering (PN_XNUM): more "
		                "than %u program headers",
		                PVH_ELF_MAX_PHDRS);
	if (phnum == 0)
		return elf_fail(f, -EINVAL, "no program headers");
	if (phnum > PVH_ELF_MAX_PHDRS)
		return elf_fail(f, -EINVAL, "%zu program headers (maximum %u)", phnum,
		                PVH_ELF_MAX_PHDRS);
	if (!elf_in_file(f, eh->e_phoff, phnum * phent))
		return elf_fail(f, -EINVAL, "program headers lie outside the file");
	f->phnum = phnum;
	return 0;
}

static void elf_close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

static int elf_begin_file(struct elf_file *f, GElf_Ehdr *eh)
{
	int r = elf_open(f);
	if (!r)
		r = elf_check_ident(f);
	if (r)
		return r;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_fail(f, -EINVAL, "libelf is unusable: %s", elf_errmsg(-1));
	/* ELF_C_READ, not _MMAP: a file truncated under us must fail a read, not raise SIGBUS. */
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
		return elf_fail(f, -EINVAL, "not an ELF file (%s)", elf_errmsg(-1));
	return elf_check_ehdr(f, eh);
}

int pvh_elf_load(const char *path, struct region_list *out, uint32_t *entry, char *err,
                 size_t errlen)
{
	struct elf_file f = {.path = path, .fd = -1, .err = err, .errlen = errlen};
	struct elf_segs segs = {0};
	GElf_Ehdr eh;
	uint32_t e = 0;
	size_t n0 = out->n;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !*path) {
		if (err && errlen)
			snprintf(err, errlen, "no kernel file given");
		return -EINVAL;
	}
	int r = elf_begin_file(&f, &eh);
	if (!r)
		r = elf_collect_loads(&f, &segs);
	if (!r)
		r = elf_find_entry(&f, &eh, &e);
	if (!r)
		r = elf_check_entry(&f, &segs, e);
	if (!r)
		r = elf_add_segments(&f, &segs, out);
	if (r)
		region_list_truncate(out, n0);
	else
		*entry = e;
	elf_close(&f);
	return r;
}
