/*
 * Turtle's Linux loader option ROM: lets PC firmware (SeaBIOS) boot
 * -kernel/-initrd/-append.  The board hands it to the firmware as
 * fw_cfg "genroms/turtle-linuxboot.bin" and names it first in
 * "bootorder"; the firmware runs it as a boot device.
 *
 * What it does when the firmware boots it (the PnP Bootstrap Entry
 * Vector, 16-bit real mode, BIOS services available):
 *   - reads the fw_cfg "linuxboot" items the board filled
 *     (hw/i386/x86-boot.c): the real-mode setup (header already patched
 *     by the board: type_of_loader, loadflags, heap_end_ptr,
 *     cmd_line_ptr, ramdisk_image/size), the protected-mode kernel, the
 *     initrd and the command line, each at the address the board chose,
 *     with fw_cfg DMA (which writes guest-physical memory directly, so no
 *     switch to protected mode is needed for the parts above 1 MiB);
 *   - enters the real-mode setup as the Linux x86 boot protocol says:
 *     DS = ES = FS = GS = SS = setup segment, SP at the heap end,
 *     interrupts off, CS:IP = setup segment + 0x20 : 0.
 * If there is no kernel or a transfer fails it returns to the firmware,
 * which tries the next boot device.
 *
 * scripts/mkoptionrom.py pads the image to 512 bytes, fills the size
 * byte and both checksums (PnP header, whole ROM) and embeds it in the
 * emulator.  References: "Plug and Play BIOS Specification" 1.0A (option
 * ROM and expansion header), docs/specs fw_cfg (QEMU's interface, which
 * Turtle implements), Linux Documentation/arch/x86/boot.rst.
 */
#define FW_CFG_SEL          0x510
#define FW_CFG_DATA         0x511
#define FW_CFG_DMA_HI       0x514
#define FW_CFG_DMA_LO       0x518

#define FW_CFG_KERNEL_ADDR  0x07
#define FW_CFG_KERNEL_SIZE  0x08
#define FW_CFG_INITRD_ADDR  0x0a
#define FW_CFG_INITRD_SIZE  0x0b
#define FW_CFG_KERNEL_DATA  0x11
#define FW_CFG_INITRD_DATA  0x12
#define FW_CFG_CMDLINE_ADDR 0x13
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_ADDR   0x16
#define FW_CFG_SETUP_SIZE   0x17
#define FW_CFG_SETUP_DATA   0x18

#define DMA_CTL_ERROR       0x01
#define DMA_CTL_READ        0x02
#define DMA_CTL_SELECT      0x08

#define SETUP_STACK_TOP     0xfe00   /* = heap_end_ptr the board writes */

	.code16
	.text
	.globl	_start
_start:
	.byte	0x55, 0xaa
	.byte	0                       /* size / 512: mkoptionrom.py */
	jmp	init                    /* +3: initialisation entry */

	.org	0x18
	.word	0                       /* no PCI data structure */
	.word	pnp_header              /* +0x1a: expansion header */

	.balign	16
pnp_header:
	.ascii	"$PnP"
	.byte	1                       /* structure revision */
	.byte	2                       /* length: 2 x 16 bytes */
	.word	0                       /* no next header */
	.byte	0                       /* reserved */
	.byte	0                       /* checksum: mkoptionrom.py */
	.long	0                       /* device identifier */
	.word	manufacturer
	.word	product
	.byte	0, 0, 0                 /* device type code */
	.byte	0                       /* device indicators */
	.word	0                       /* boot connection vector */
	.word	0                       /* disconnect vector */
	.word	bev                     /* bootstrap entry vector */
	.word	0                       /* reserved */
	.word	0                       /* static resource information */

manufacturer:
	.asciz	"Turtle"
product:
	.asciz	"Linux kernel (-kernel)"

/* Initialisation: nothing to set up; the work happens at boot time. */
init:
	lret

/* %eax = the 32-bit little-endian fw_cfg item %ax.  Clobbers %cx, %dx. */
read32:
	mov	$FW_CFG_SEL, %dx
	outw	%ax, %dx
	inc	%dx
	mov	$4, %cx
1:	inb	%dx, %al
	rorl	$8, %eax
	loop	1b
	ret

/*
 * DMA %ecx bytes of fw_cfg item %ax to guest-physical %edi.  The
 * descriptor (control, length, address: big-endian) lives on the stack.
 * CF set on error.  Clobbers %eax, %edx.
 */
dma_read:
	clc
	jecxz	2f
	pushl	%ecx
	pushl	%edi
	bswap	%edi
	pushl	%edi                    /* address, low half */
	pushl	$0                      /* address, high half */
	bswap	%ecx
	pushl	%ecx                    /* length */
	movzwl	%ax, %eax
	shll	$16, %eax
	orl	$(DMA_CTL_SELECT | DMA_CTL_READ), %eax
	bswap	%eax
	pushl	%eax                    /* control */
	xorl	%eax, %eax              /* the descriptor's physical address */
	mov	%ss, %ax
	shll	$4, %eax
	movzwl	%sp, %edx
	addl	%edx, %eax
	bswap	%eax
	mov	$FW_CFG_DMA_HI, %dx
	pushl	%eax
	xorl	%eax, %eax
	outl	%eax, %dx
	popl	%eax
	mov	$FW_CFG_DMA_LO, %dx
	outl	%eax, %dx               /* the transfer starts */
	mov	%sp, %bx
1:	movl	%ss:(%bx), %eax         /* wait for the control word to clear */
	bswap	%eax
	testl	$~DMA_CTL_ERROR, %eax
	jnz	1b
	addw	$16, %sp
	popl	%edi
	popl	%ecx
	testl	$DMA_CTL_ERROR, %eax
	jz	2f
	stc
2:	ret

/* Load item (addr, size, data) = (%si, %si + 1, %bp); CF on error */
load_item:
	mov	%si, %ax
	call	read32
	movl	%eax, %edi
	lea	1(%si), %ax
	call	read32
	movl	%eax, %ecx
	mov	%bp, %ax
	jmp	dma_read

bev:
	cli
	cld
	pushal
	push	%ds
	push	%es
	mov	$FW_CFG_SETUP_SIZE, %ax
	call	read32
	testl	%eax, %eax
	jz	fail                    /* no -kernel */
	mov	$FW_CFG_SETUP_ADDR, %si
	mov	$FW_CFG_SETUP_DATA, %bp
	call	load_item
	jc	fail
	pushl	%edi                    /* the setup's address */
	mov	$FW_CFG_KERNEL_ADDR, %si
	mov	$FW_CFG_KERNEL_DATA, %bp
	call	load_item
	jc	fail_pop
	mov	$FW_CFG_INITRD_ADDR, %si
	mov	$FW_CFG_INITRD_DATA, %bp
	call	load_item
	jc	fail_pop
	mov	$FW_CFG_CMDLINE_ADDR, %si
	mov	$FW_CFG_CMDLINE_DATA, %bp
	call	load_item
	jc	fail_pop

	/* enter the setup: segment = address / 16 */
	popl	%eax
	shrl	$4, %eax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	$SETUP_STACK_TOP, %sp
	add	$0x20, %ax
	push	%ax
	push	$0
	lret

fail_pop:
	popl	%edi
fail:
	pop	%es
	pop	%ds
	popal
	sti
	lret
