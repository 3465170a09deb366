// SPDX-License-Identifier: MIT
/* Loads the payload (a PVH ELF, or the built-in exit loop) and writes the PVH boot data. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/floor/floor.h"
#include "loader/boot_gdt.h"
#include "loader/hvm_start_info.h"
#include "loader/guest_abi.h"

static int load_segment(struct floor_vm *f, const char *image, size_t image_size,
                        const GElf_Phdr *ph, char *err, size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz || ph->p_offset > image_size ||
	    ph->p_filesz > image_size - ph->p_offset) {
		snprintf(err, errlen, "PT_LOAD at offset 0x%llx: sizes exceed the file",
		         (unsigned long long)ph->p_offset);
		return -EINVAL;
	}
	uint8_t *dst = floor_gpa(f, ph->p_paddr, ph->p_memsz);
	if (!dst || ph->p_paddr < PVH_SEV_HIGH_RAM_GPA) {
		snprintf(err, errlen, "PT_LOAD [0x%llx, +0x%llx) is outside RAM from 1 MiB",
		         (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz);
		return -EINVAL;
	}
	memcpy(dst, image + ph->p_offset, ph->p_filesz);
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

/* Finds XEN_ELFNOTE_PHYS32_ENTRY in one PT_NOTE segment; returns 1 when found. */
static int find_pvh_entry(Elf *elf, const GElf_Phdr *ph, uint32_t *entry)
{
	Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz, ELF_T_NHDR);
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;

	if (!d)
		return 0;
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		const char *p = d->d_buf;
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp(p + name_off, "Xen", 4) && (nh.n_descsz == 4 || nh.n_descsz == 8)) {
			uint64_t v = 0;
			memcpy(&v, p + desc_off, nh.n_descsz);
			if (v > UINT32_MAX)
				return 0;
			*entry = (uint32_t)v;
			return 1;
		}
		off = next;
	}
	return 0;
}

static int load_image(struct floor_vm *f, Elf *elf, uint32_t *entry, char *err, size_t errlen)
{
	size_t image_size, nph;
	const char *image = elf_rawfile(elf, &image_size);
	int have_entry = 0, r;

	if (elf_kind(elf) != ELF_K_ELF || !image || elf_getphdrnum(elf, &nph)) {
		snprintf(err, errlen, "not an ELF file");
		return -EINVAL;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph)) {
			snprintf(err, errlen, "bad program header %zu", i);
			return -EINVAL;
		}
		if (ph.p_type == PT_LOAD) {
			r = load_segment(f, image, image_size, &ph, err, errlen);
			if (r)
				return r;
		} else if (ph.p_type == PT_NOTE && !have_entry) {
			have_entry = find_pvh_entry(elf, &ph, entry);
		}
	}
	if (!have_entry) {
		snprintf(err, errlen, "no PVH entry note (Xen, type 18)");
		return -EINVAL;
	}
	return 0;
}

int floor_load_elf(struct floor_vm *f, const char *path, uint32_t *entry, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	int r;
	if (!elf) {
		snprintf(err, errlen, "%s: %s", path, elf_errmsg(-1));
		r = -EINVAL;
		goto out_fd;
	}
	r = load_image(f, elf, entry, err, errlen);
	if (r) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n, " (%s)", path);
	}
	elf_end(elf);
out_fd:
	close(fd);
	return r;
}

/*
 * The built-in payload of `floor --exit-loop N`: N one-byte OUTs to port 0x80, then exit 0.
 *   mov ecx, N; jecxz end; L: out 0x80, al; dec ecx; jnz L; end: xor eax, eax;
 *   mov dx, 0xf4; out dx, eax; hlt
 */
void floor_load_exit_loop(struct floor_vm *f, uint32_t n, uint32_t *entry)
{
	uint8_t code[] = {0xb9, 0,    0,    0,    0,    0xe3, 0x05, 0xe6, 0x80, 0x49,
	                  0x75, 0xfb, 0x31, 0xc0, 0x66, 0xba, 0xf4, 0x00, 0xef, 0xf4};

	memcpy(&code[1], &n, sizeof(n));
	memcpy(floor_gpa(f, PVH_SEV_HIGH_RAM_GPA, sizeof(code)), code, sizeof(code));
	*entry = PVH_SEV_HIGH_RAM_GPA;
}

/* Boot GDT, start_info, a two-entry memory map and the command line, where pvh-sev puts them. */
int floor_boot_data(struct floor_vm *f, const char *cmdline, uint32_t *start_info, char *err,
                    size_t errlen)
{
	size_t len = strlen(cmdline) + 1;

	if (len > PVH_SEV_CMDLINE_MAX) {
		snprintf(err, errlen, "command line longer than %u bytes", PVH_SEV_CMDLINE_MAX - 1);
		return -E2BIG;
	}
	memcpy(floor_gpa(f, PVH_SEV_BOOT_GDT_GPA, BOOT_GDT_SIZE), boot_gdt_entries, BOOT_GDT_SIZE);
	memcpy(floor_gpa(f, PVH_SEV_CMDLINE_GPA, len), cmdline, len);

	struct hvm_memmap_table_entry mm[2] = {
	    {.addr = 0, .size = PVH_SEV_LOW_RAM_END, .type = XEN_HVM_MEMMAP_TYPE_RAM},
	    {.addr = PVH_SEV_HIGH_RAM_GPA,
	     .size = f->mem_size - PVH_SEV_HIGH_RAM_GPA,
	     .type = XEN_HVM_MEMMAP_TYPE_RAM},
	};
	memcpy(floor_gpa(f, PVH_SEV_MEMMAP_GPA, sizeof(mm)), mm, sizeof(mm));

	struct hvm_start_info si = {
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = 1,
	    .cmdline_paddr = PVH_SEV_CMDLINE_GPA,
	    .memmap_paddr = PVH_SEV_MEMMAP_GPA,
	    .memmap_entries = 2,
	};
	memcpy(floor_gpa(f, PVH_SEV_START_INFO_GPA, sizeof(si)), &si, sizeof(si));
	*start_info = PVH_SEV_START_INFO_GPA;
	return 0;
}
