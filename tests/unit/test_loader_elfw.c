// SPDX-License-Identifier: MIT
/* The test ELF writer: see test_loader_elfw.h. Written from the ELF specification. */
#include "tests/unit/test_loader_elfw.h"

#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h> /* needs the headers above and stddef.h/stdint.h from ours */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/elf_loader.h"

static void put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void elfw_init(struct elfw *w, int cls)
{
	memset(w, 0, sizeof(*w));
	w->cls = cls;
	w->machine = cls == 32 ? EM_386 : EM_X86_64;
	w->type = ET_EXEC;
	w->phoff = w->phnum = w->phentsize = ELFW_AUTO;
	w->shoff = w->shnum = w->shentsize = ELFW_AUTO;
	w->nsh = 1; /* the null section */
}

uint64_t elfw_blob(struct elfw *w, const void *data, size_t n, size_t align)
{
	size_t off = (w->clen + align - 1) & ~(align - 1);
	if (off + n > sizeof(w->content))
		abort(); /* a test asked for more than the writer holds */
	memcpy(w->content + off, data, n);
	w->clen = off + n;
	return ELFW_CONTENT + off;
}

size_t elfw_note(uint8_t *out, const char *name, uint32_t namesz, uint32_t type, const void *desc,
                 uint32_t descsz, size_t align)
{
	size_t npad = (namesz + align - 1) & ~(align - 1);
	size_t dpad = (descsz + align - 1) & ~(align - 1);
	put(out, namesz, 4);
	put(out + 4, descsz, 4);
	put(out + 8, type, 4);
	memset(out + 12, 0, npad + dpad);
	memcpy(out + 12, name, strlen(name) + 1 < namesz ? strlen(name) + 1 : namesz);
	memcpy(out + 12 + npad, desc, descsz);
	return 12 + npad + dpad;
}

uint64_t elfw_entry_note(struct elfw *w, uint32_t entry, uint32_t descsz, int section)
{
	uint8_t notes[128], desc[32] = {0};
	if (descsz > sizeof(desc))
		abort();
	/* A GNU build-id note first, so the parser must walk past a foreign note. */
	static const uint8_t build_id[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	size_t n = elfw_note(notes, "GNU", 4, NT_GNU_BUILD_ID, build_id, sizeof(build_id), 4);
	put(desc, entry, 4);
	put(desc + 4, 0xdeadbeef, 4); /* high half of an 8-byte descriptor: must be ignored */
	n += elfw_note(notes + n, "Xen", 4, 18, desc, descsz, 4);
	uint64_t off = elfw_blob(w, notes, n, 4);
	if (section)
		elfw_shdr(w, SHT_NOTE, off, n)->addralign = 4;
	else
		elfw_phdr(w, PT_NOTE, off, 0, n, n)->align = 4;
	return off;
}

struct elfw_phdr *elfw_phdr(struct elfw *w, uint32_t type, uint64_t offset, uint64_t paddr,
                            uint64_t filesz, uint64_t memsz)
{
	if (w->nph >= ELFW_MAX_PH)
		abort();
	struct elfw_phdr *p = &w->ph[w->nph++];
	*p = (struct elfw_phdr){type, PF_R | PF_X, offset, paddr, paddr, filesz, memsz, 0x1000};
	return p;
}

struct elfw_shdr *elfw_shdr(struct elfw *w, uint32_t type, uint64_t offset, uint64_t size)
{
	if (w->nsh >= ELFW_MAX_SH)
		abort();
	struct elfw_shdr *s = &w->sh[w->nsh++];
	*s = (struct elfw_shdr){type, offset, size, 1};
	return s;
}

uint8_t elfw_text_byte(size_t i) { return (uint8_t)(i * 7 + 3); }

void elfw_good(struct elfw *w, int cls, uint32_t descsz, int note_in_section)
{
	uint8_t text[ELFW_TEXT_FILESZ], data[ELFW_DATA_FILESZ];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = elfw_text_byte(i);
	memset(data, 0xda, sizeof(data));
	elfw_init(w, cls);
	w->entry = 0xffffffff81000000ull & (cls == 32 ? 0xffffffffu : ~0ull);
	uint64_t t = elfw_blob(w, text, sizeof(text), 0x1000);
	uint64_t d = elfw_blob(w, data, sizeof(data), 0x1000);
	elfw_phdr(w, PT_LOAD, t, ELFW_TEXT_GPA, sizeof(text), ELFW_TEXT_MEMSZ);
	elfw_phdr(w, PT_LOAD, d, ELFW_DATA_GPA, sizeof(data), ELFW_DATA_MEMSZ)->flags = PF_R | PF_W;
	elfw_entry_note(w, ELFW_ENTRY, descsz, note_in_section);
}

static void put_ehdr(const struct elfw *w, uint8_t *img, uint64_t phoff, uint64_t shoff)
{
	int b64 = w->cls == 64;
	memcpy(img, ELFMAG, SELFMAG);
	img[EI_CLASS] = b64 ? ELFCLASS64 : ELFCLASS32;
	img[EI_DATA] = ELFDATA2LSB;
	img[EI_VERSION] = EV_CURRENT;
	put(img + 16, w->type, 2);
	put(img + 18, w->machine, 2);
	put(img + 20, EV_CURRENT, 4);
	size_t a = b64 ? 8 : 4, o = 24; /* e_entry, e_phoff, e_shoff */
	put(img + o, w->entry, a);
	put(img + o + a, w->phoff == ELFW_AUTO ? phoff : (uint64_t)w->phoff, a);
	put(img + o + 2 * a, w->shoff == ELFW_AUTO ? shoff : (uint64_t)w->shoff, a);
	o += 3 * a + 4; /* e_flags */
	put(img + o, b64 ? 64 : 52, 2);
	put(img + o + 2, w->phentsize == ELFW_AUTO ? (b64 ? 56 : 32) : w->phentsize, 2);
	put(img + o + 4, w->phnum == ELFW_AUTO ? w->nph : (uint64_t)w->phnum, 2);
	put(img + o + 6, w->shentsize == ELFW_AUTO ? (b64 ? 64 : 40) : w->shentsize, 2);
	put(img + o + 8, w->shnum == ELFW_AUTO ? w->nsh : (uint64_t)w->shnum, 2);
	put(img + o + 10, 0, 2); /* e_shstrndx: no names */
}

static void put_phdr(const struct elfw *w, uint8_t *p, const struct elfw_phdr *h)
{
	if (w->cls == 64) {
		put(p, h->type, 4);
		put(p + 4, h->flags, 4);
		put(p + 8, h->offset, 8);
		put(p + 16, h->vaddr, 8);
		put(p + 24, h->paddr, 8);
		put(p + 32, h->filesz, 8);
		put(p + 40, h->memsz, 8);
		put(p + 48, h->align, 8);
		return;
	}
	uint64_t f[8] = {h->type,   h->offset, h->vaddr, h->paddr,
	                 h->filesz, h->memsz,  h->flags, h->align};
	for (size_t i = 0; i < 8; i++)
		put(p + 4 * i, f[i], 4);
}

static void put_shdr(const struct elfw *w, uint8_t *p, const struct elfw_shdr *s)
{
	size_t a = w->cls == 64 ? 8 : 4;
	put(p + 4, s->type, 4);
	put(p + 8 + a, 0, a);                 /* sh_addr */
	put(p + 8 + 2 * a, s->offset, a);     /* sh_offset */
	put(p + 8 + 3 * a, s->size, a);       /* sh_size */
	put(p + 16 + 4 * a, s->addralign, a); /* after sh_link, sh_info */
}

uint8_t *elfw_image(const struct elfw *w, size_t *len)
{
	size_t phent = w->cls == 64 ? 56 : 32, shent = w->cls == 64 ? 64 : 40;
	size_t phoff = w->cls == 64 ? 64 : 52;
	size_t shoff = (ELFW_CONTENT + w->clen + 7) & ~(size_t)7;
	size_t n = shoff + w->nsh * shent;
	uint8_t *img = calloc(1, n);
	if (!img)
		abort();
	put_ehdr(w, img, phoff, shoff);
	for (size_t i = 0; i < w->nph; i++)
		put_phdr(w, img + phoff + i * phent, &w->ph[i]);
	memcpy(img + ELFW_CONTENT, w->content, w->clen);
	for (size_t i = 1; i < w->nsh; i++)
		put_shdr(w, img + shoff + i * shent, &w->sh[i]);
	*len = n;
	return img;
}

int elfw_write_bytes(const char *path, const void *buf, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ssize_t done = n ? write(fd, buf, n) : 0;
	int r = done == (ssize_t)n ? 0 : -EIO;
	close(fd);
	return r;
}

int elfw_write(const struct elfw *w, const char *path)
{
	size_t n;
	uint8_t *img = elfw_image(w, &n);
	int r = elfw_write_bytes(path, img, n);
	free(img);
	return r;
}

static char tmp_dir[64];

const char *elfw_tmp_path(const char *name)
{
	static char path[128];
	if (!tmp_dir[0]) {
		snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/pvh-loader-test.XXXXXX");
		if (!mkdtemp(tmp_dir))
			abort();
	}
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void elfw_tmp_cleanup(void)
{
	if (!tmp_dir[0])
		return;
	if (nftw(tmp_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "could not remove %s\n", tmp_dir);
	tmp_dir[0] = '\0';
}

void elfw_expect_fail(const char *path, int want, const char *frag, const char *what)
{
	struct region_list l;
	char err[512] = "";
	uint32_t entry = 0xabcd;
	region_list_init(&l);
	assert_int_equal(region_add(&l, "sentinel", REGION_BOOT, 0, 0x500, 32, NULL, 0), 0);
	int r = pvh_elf_load(path, &l, &entry, err, sizeof(err));
	if (r != want || !strstr(err, frag) || !strstr(err, path))
		print_error("case %s: got %d \"%s\", want %d \"...%s...\"\n", what, r, err, want,
		            frag);
	assert_int_equal(r, want);
	assert_non_null(strstr(err, frag));
	assert_non_null(strstr(err, path)); /* the message names the file */
	assert_null(strchr(err, '\n'));     /* and is one line */
	assert_int_equal(l.n, 1);
	assert_int_equal(entry, 0xabcd);
	region_list_free(&l);
}
