/* SPDX-License-Identifier: MIT
 * Start code and vector tables of the EL2 images (the stub and the kvm-unit-tests host). QEMU's
 * virt machine with virtualization=on enters them at EL2 (no EL3): the stub as an ELF, the
 * kvm-unit-tests host as a raw arm64 Image, for which QEMU passes the device tree's address in
 * x0 (Linux Documentation/arch/arm64/booting.rst: the 64-byte Image header below, text_offset
 * 0x80000 from the RAM base). hyp_main(x0) receives it. One vector-table layout serves EL2 and
 * EL1: each entry saves
 * x0-x30 in a frame on the stack and calls a C++ handler with (frame, kind), where kind is the
 * entry's index (Arm ARM D1.3.1, "Exception vectors": 0-3 current EL with SP0, 4-7 current EL
 * with SPx, 8-11 lower EL AArch64, 12-15 lower EL AArch32; within a group sync, IRQ, FIQ, SError).
 */
    .section .text.boot, "ax"
    .globl _start
_start:
    b 0f                    /* code0: branch over the header */
    .long 0                 /* code1 */
    .quad 0x80000           /* text_offset from the 2 MiB-aligned RAM base */
    .quad __image_end - _start  /* image_size, including BSS and the stacks */
    .quad 0xa               /* flags: little-endian, 4K pages, placed at text_offset */
    .quad 0, 0, 0           /* res2..res4 */
    .ascii "ARM\x64"         /* magic */
    .long 0                 /* res5 */
0:  mov x19, x0             /* the DTB address (raw Image boot), kept for hyp_main */
    mrs x0, mpidr_el1
    and x0, x0, #0xff
    cbnz x0, park
    ldr x0, =__stack_el2_top
    mov sp, x0
    ldr x0, =__bss_start
    ldr x1, =__bss_end
1:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 1b
2:  ldr x0, =el2_vectors
    msr vbar_el2, x0
    isb
    mov x0, x19
    bl hyp_main
park:
    wfe
    b park

.macro SAVE_AND_CALL handler
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    str x30, [sp, #240]
    mov x0, sp
    bl \handler
    ldp x0, x1, [sp]
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x19, [sp, #144]
    ldp x20, x21, [sp, #160]
    ldp x22, x23, [sp, #176]
    ldp x24, x25, [sp, #192]
    ldp x26, x27, [sp, #208]
    ldp x28, x29, [sp, #224]
    ldr x30, [sp, #240]
    add sp, sp, #256
    eret
.endm

.macro VECTOR kind, common
    .balign 0x80
    sub sp, sp, #256
    stp x0, x1, [sp]
    mov x1, #\kind
    b \common
.endm

.macro VECTOR_TABLE name, common
    .section .text.vectors, "ax"
    .balign 0x800
    .globl \name
\name:
    .irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    VECTOR \kind, \common
    .endr
.endm

    VECTOR_TABLE el2_vectors, el2_common
    VECTOR_TABLE el1_vectors, el1_common

    .text
el2_common:
    SAVE_AND_CALL el2_exception
el1_common:
    SAVE_AND_CALL el1_exception

/* run_el1(entry, stack, x0): saves the EL2 caller's callee-saved registers and SP, then erets to
 * entry at EL1h with DAIF masked, x0 as given and x1..x3 zero (the arm64 boot protocol's entry
 * state for a kernel image) (the guest never unmasks: physical IRQs are routed to EL2 by
 * HCR_EL2.IMO whatever PSTATE.I says at EL1). back_to_el2() -- called from the EL2 exception
 * handler when the guest is done -- restores them, so run_el1 returns to its caller as a plain
 * call would, discarding the handler's frames. */
    .globl run_el1
run_el1:
    ldr x9, =el2_context
    mov x10, sp
    stp x19, x20, [x9, #0]
    stp x21, x22, [x9, #16]
    stp x23, x24, [x9, #32]
    stp x25, x26, [x9, #48]
    stp x27, x28, [x9, #64]
    stp x29, x30, [x9, #80]
    str x10, [x9, #96]
    msr elr_el2, x0
    msr sp_el1, x1
    mov x0, x2
    mov x1, #0x3c5
    msr spsr_el2, x1
    mov x1, xzr
    mov x2, xzr
    mov x3, xzr
    isb
    eret

    .globl back_to_el2
back_to_el2:
    ldr x9, =el2_context
    ldp x19, x20, [x9, #0]
    ldp x21, x22, [x9, #16]
    ldp x23, x24, [x9, #32]
    ldp x25, x26, [x9, #48]
    ldp x27, x28, [x9, #64]
    ldp x29, x30, [x9, #80]
    ldr x10, [x9, #96]
    mov sp, x10
    ret

    .bss
    .balign 16
el2_context:
    .skip 112
    .text

/* semihosting(op, arg): the A64 semihosting call (HLT #0xF000), result in x0. */
    .globl semihosting
semihosting:
    hlt #0xf000
    ret

/* smc_call(regs): issues SMC #0 at EL2 with x0..x3 = regs[0..3] (SMCCC) and stores the results
 * back; at EL2 the call reaches QEMU's PSCI firmware. */
    .globl smc_call
smc_call:
    mov x9, x0
    ldp x0, x1, [x9]
    ldp x2, x3, [x9, #16]
    smc #0
    stp x0, x1, [x9]
    stp x2, x3, [x9, #16]
    ret
