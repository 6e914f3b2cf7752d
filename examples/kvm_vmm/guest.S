/* SPDX-License-Identifier: MIT
 * The guest of the KVM example: 64-bit long mode at CPL0, loaded at 0x1000. It interprets the
 * operation table the VMM put at 0x30000 (16-byte entries {u32 op, u32 a, u64 b}) with real
 * WRMSR / RDMSR / RDPMC instructions, and reports through I/O ports:
 *   0xE0  a value read (RAX:RDX), R12 = operation index
 *   0xEC  a #GP taken at R12's operation
 *   0xED  paravirtual RDPMC from the #GP handler (KVM handles RDPMC in the kernel; with its own
 *         vPMU off it injects #GP, see Linux arch/x86/kvm/pmu.c)
 *   0xEE  "retire RDX events of kind ECX" (the VMM feeds them to the simulated PMU)
 */
    .code64
    .text
    .globl _start
_start:
    jmp main

    .org 0x10
/* #GP handler, vector 13 (the VMM points the IDT here). Stack: error code, RIP, CS, RFLAGS... */
fault_handler:
    push %rbx
    mov 16(%rsp), %rbx          /* faulting RIP */
    cmpw $0x330f, (%rbx)        /* RDPMC (0F 33)? */
    jne 1f
    out %al, $0xED              /* the VMM answers in EDX:EAX */
    jmp 2f
1:  out %al, $0xEC              /* a real fault: report it */
2:  addq $2, 16(%rsp)           /* skip the two-byte WRMSR / RDMSR / RDPMC */
    pop %rbx
    add $8, %rsp                /* drop the error code */
    iretq

main:
    mov $0x30000, %rsi          /* the operation table */
    xor %r12, %r12              /* index of the current operation */
next:
    mov (%rsi), %eax
    cmp $0, %eax
    je done
    cmp $1, %eax
    je op_wrmsr
    cmp $2, %eax
    je op_rdmsr
    cmp $3, %eax
    je op_rdpmc
    cmp $4, %eax
    je op_event
    cmp $5, %eax
    je op_loop
    cmp $6, %eax
    je op_endloop
    jmp done
op_wrmsr:
    mov 4(%rsi), %ecx
    mov 8(%rsi), %eax
    mov 12(%rsi), %edx
    wrmsr
    jmp step
op_rdmsr:
    mov 4(%rsi), %ecx
    xor %eax, %eax
    xor %edx, %edx
    rdmsr
    out %al, $0xE0
    jmp step
op_rdpmc:
    mov 4(%rsi), %ecx
    xor %eax, %eax
    xor %edx, %edx
    rdpmc
    out %al, $0xE0
    jmp step
op_event:
    mov 4(%rsi), %ecx
    mov 8(%rsi), %rdx
    out %al, $0xEE
    jmp step
op_loop:                        /* repeat the operations up to op_endloop b times */
    mov 8(%rsi), %r13
    lea 16(%rsi), %r14
    lea 1(%r12), %r15
    jmp step
op_endloop:
    dec %r13
    jz step
    mov %r14, %rsi
    mov %r15, %r12
    jmp next
step:
    add $16, %rsi
    inc %r12
    jmp next
done:
    hlt
    jmp done
