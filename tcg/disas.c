/*
 * Host code listing for -d out_asm: capstone when available (x86-64 code),
 * otherwise (and for TCI bytecode) a hex dump.
 */
#include "config-host.h"

#include "tcg-internal.h"
#include "tci/tci.h"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

static void hex_dump(FILE *f, const void *code, size_t size)
{
    const uint8_t *p = code;
    size_t i;

    for (i = 0; i < size; i += 16) {
        size_t j;
        fprintf(f, "  %p:", (const void *)(p + i));
        for (j = i; j < i + 16 && j < size; j++) {
            fprintf(f, " %02x", p[j]);
        }
        fprintf(f, "\n");
    }
}

void tcg_disas_host(FILE *f, const void *code, size_t size)
{
#if defined(CONFIG_CAPSTONE) && defined(__x86_64__)
    if (!tcg_use_tci) {
        csh h;
        cs_insn *insn;
        size_t n, i;

        if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
            n = cs_disasm(h, code, size, (uintptr_t)code, 0, &insn);
            for (i = 0; i < n; i++) {
                fprintf(f, "  0x%" PRIx64 ":  %-8s %s\n", insn[i].address,
                        insn[i].mnemonic, insn[i].op_str);
            }
            if (n) {
                cs_free(insn, n);
            }
            cs_close(&h);
            return;
        }
    }
#endif
    if (tcg_use_tci) {
        tci_disas(f, code, size);
        return;
    }
    hex_dump(f, code, size);
}
