/* A small printf over COM1: %s %c %d %u %x %p, width, '0' pad, l/ll. */
#include "io.h"

/* 64-by-32 division without libgcc's __udivdi3 (needed for -m32). */
static unsigned div_small(unsigned long long *v, unsigned base)
{
    unsigned long long q = 0;
    unsigned long long r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((*v >> bit) & 1);
        if (r >= base) {
            r -= base;
            q |= 1ull << bit;
        }
    }
    *v = q;
    return (unsigned)r;
}

static void put_num(unsigned long long v, unsigned base, int width, char pad,
                    int neg)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[div_small(&v, base)];
    } while (v);
    if (neg) {
        buf[n++] = '-';
    }
    while (n < width) {
        serial_putc(pad);
        width--;
    }
    while (n) {
        serial_putc(buf[--n]);
    }
}

void vprint(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (*fmt == '\n') {
                serial_putc('\r');
            }
            serial_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        unsigned long long u;
        long long s;
        switch (*fmt) {
        case 's': {
            const char *str = va_arg(ap, const char *);
            serial_puts(str ? str : "(null)");
            break;
        }
        case 'c':
            serial_putc((char)va_arg(ap, int));
            break;
        case 'd':
            s = lng >= 2 ? va_arg(ap, long long)
                : lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(s < 0 ? -(unsigned long long)s : (unsigned long long)s,
                    10, width, pad, s < 0);
            break;
        case 'u':
        case 'x':
            u = lng >= 2 ? va_arg(ap, unsigned long long)
                : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            put_num(u, *fmt == 'u' ? 10 : 16, width, pad, 0);
            break;
        case 'p':
            put_num((uintptr_t)va_arg(ap, void *), 16, width, pad, 0);
            break;
        case '%':
            serial_putc('%');
            break;
        default:
            serial_putc('?');
            break;
        }
    }
}

void print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}
