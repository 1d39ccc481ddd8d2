#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turtle's instruction decoder generator.

Reads a pattern file in the "decodetree" format family and writes a C file
with argument structures, trans_ function declarations and one decode
function that finds the matching pattern through a decision tree on the
fixed bits, extracts its fields and calls trans_NAME().

Written from the format's description only; docs/decodetree.md describes
the input language and how a front end uses the output.

Usage: decodetree.py [--decode NAME] [--insnwidth 16|32] [--static-decode]
                     [--trans-stubs] [-o OUTPUT] INPUT
"""

import argparse
import re
import sys
import zlib

IDENT = r'[A-Za-z_][A-Za-z0-9_]*'
RE_IDENT = re.compile('^' + IDENT + '$')
RE_BITS = re.compile(r'^[01.\-]+$')
RE_SEG = re.compile(r'^(\d+):(s?)(\d+)$')
RE_INLINE = re.compile('^(' + IDENT + r'):(s?)(\d+)$')
RE_ASSIGN = re.compile('^(' + IDENT + ')=(.+)$')
RE_TYPED = re.compile('^(' + IDENT + '):(' + IDENT + ')$')


class DecodeError(Exception):
    def __init__(self, loc, msg):
        super().__init__(msg)
        self.loc = loc
        self.msg = msg


def parse_int(tok, loc):
    try:
        return int(tok, 0)
    except ValueError:
        raise DecodeError(loc, f"'{tok}' is not a number or %field")


class Field:
    """A bit field: segments (pos, len, signed), most significant first,
    optionally post-processed by a function."""

    def __init__(self, name, segs, func, loc):
        self.name = name
        self.segs = segs
        self.func = func
        self.loc = loc

    def expr(self, width):
        parts = None
        for pos, ln, sgn in self.segs:
            if sgn:
                e = f'dt_sextract{width}(insn, {pos}, {ln})'
            else:
                e = f'dt_extract{width}(insn, {pos}, {ln})'
            if parts is None:
                parts = e
            else:
                parts = f'((uint32_t){parts} << {ln} | {e})'
        if parts is not None and len(self.segs) > 1:
            parts = f'(int32_t){parts}'
        if self.func:
            if parts is None:
                return f'{self.func}(ctx)'
            return f'{self.func}(ctx, {parts})'
        return parts


class Const:
    def __init__(self, value):
        self.value = value

    def expr(self, width):
        return str(self.value)


class ArgSet:
    def __init__(self, name, members, extern, loc, implicit=False):
        self.name = name
        self.members = members          # list of (name, ctype)
        self.extern = extern
        self.loc = loc
        self.implicit = implicit

    def names(self):
        return [m[0] for m in self.members]

    def guard(self):
        sig = ' '.join(f'{n}:{t}' for n, t in self.members)
        return f'DT_ARG_{self.name}_{zlib.crc32(sig.encode()):08x}'


class Spec:
    """Common part of a format and a pattern: bits, fields, argset."""

    def __init__(self, name, loc):
        self.name = name
        self.loc = loc
        self.mask = 0
        self.value = 0
        self.fields = {}            # arg name -> Field/Const (ordered)
        self.argset = None          # name or None
        self.fmt = None


class Pattern(Spec):
    def leaves(self):
        return [self]


class Group:
    def __init__(self, overlap, loc):
        self.overlap = overlap
        self.loc = loc
        self.items = []
        self.mask = 0
        self.value = 0

    def leaves(self):
        out = []
        for it in self.items:
            out.extend(it.leaves())
        return out

    def compute(self):
        mask = ~0
        for it in self.items:
            if isinstance(it, Group):
                it.compute()
            mask &= it.mask
        first = self.items[0].value if self.items else 0
        for it in self.items:
            mask &= ~(it.value ^ first)
        self.mask = mask if self.items else 0
        self.value = first & self.mask


class Parser:
    def __init__(self, filename, width):
        self.filename = filename
        self.width = width
        self.fields = {}
        self.argsets = {}
        self.formats = {}
        self.root = Group(False, (filename, 0))
        self.stack = [self.root]
        self.patterns = []

    def loc(self, line):
        return (self.filename, line)

    def lines(self, text):
        buf = ''
        start = None
        for n, raw in enumerate(text.split('\n'), 1):
            line = raw.split('#', 1)[0].rstrip()
            if start is None:
                start = n
            if line.endswith('\\'):
                buf += line[:-1] + ' '
                continue
            buf += line
            if buf.strip():
                yield start, buf.split()
            buf = ''
            start = None
        if buf.strip():
            yield start, buf.split()

    def parse(self, text):
        for n, toks in self.lines(text):
            loc = self.loc(n)
            t = toks[0]
            if t in ('{', '['):
                if len(toks) != 1:
                    raise DecodeError(loc, f"'{t}' must be alone on its line")
                g = Group(t == '{', loc)
                self.stack[-1].items.append(g)
                self.stack.append(g)
            elif t in ('}', ']'):
                if len(toks) != 1:
                    raise DecodeError(loc, f"'{t}' must be alone on its line")
                if len(self.stack) == 1:
                    raise DecodeError(loc, f"'{t}' without an open group")
                g = self.stack.pop()
                if g.overlap != (t == '}'):
                    raise DecodeError(loc, f"'{t}' closes a group opened with "
                                      f"'{'{' if g.overlap else '['}' at "
                                      f"line {g.loc[1]}")
                if not g.items:
                    raise DecodeError(loc, 'empty group')
            elif t[0] == '%':
                self.parse_field(toks, loc)
            elif t[0] == '&':
                self.parse_argset(toks, loc)
            elif t[0] == '@':
                self.parse_spec(toks, loc, is_format=True)
            elif RE_IDENT.match(t):
                self.parse_spec(toks, loc, is_format=False)
            else:
                raise DecodeError(loc, f"unexpected '{t}'")
        if len(self.stack) != 1:
            g = self.stack[-1]
            raise DecodeError(g.loc, 'group is never closed')

    def parse_field(self, toks, loc):
        name = toks[0][1:]
        if not RE_IDENT.match(name):
            raise DecodeError(loc, f"bad field name '{toks[0]}'")
        if name in self.fields:
            raise DecodeError(loc, f"field %{name} already defined at line "
                              f"{self.fields[name].loc[1]}")
        segs = []
        func = None
        total = 0
        for t in toks[1:]:
            m = RE_SEG.match(t)
            if m:
                pos, sgn, ln = int(m.group(1)), m.group(2) == 's', int(m.group(3))
                if ln == 0 or pos + ln > self.width:
                    raise DecodeError(loc, f"segment {t} does not fit in a "
                                      f"{self.width}-bit instruction")
                if sgn and segs:
                    raise DecodeError(loc, f"only the first (most significant) "
                                      f"segment may be signed: {t}")
                segs.append((pos, ln, sgn))
                total += ln
            elif t.startswith('!function='):
                func = t[len('!function='):]
                if not RE_IDENT.match(func):
                    raise DecodeError(loc, f"bad function name '{func}'")
            else:
                raise DecodeError(loc, f"bad field segment '{t}' "
                                  "(expected POS:LEN or POS:sLEN)")
        if total > 32:
            raise DecodeError(loc, f'field %{name} is {total} bits wide, '
                              'more than 32')
        if not segs and not func:
            raise DecodeError(loc, f'field %{name} has no segments')
        self.fields[name] = Field(name, segs, func, loc)

    def parse_argset(self, toks, loc):
        name = toks[0][1:]
        if not RE_IDENT.match(name):
            raise DecodeError(loc, f"bad argument set name '{toks[0]}'")
        if name in self.argsets:
            raise DecodeError(loc, f'argument set &{name} already defined')
        members = []
        extern = False
        for t in toks[1:]:
            if t == '!extern':
                extern = True
                continue
            m = RE_TYPED.match(t)
            if m:
                mn, ty = m.group(1), m.group(2)
            elif RE_IDENT.match(t):
                mn, ty = t, 'int'
            else:
                raise DecodeError(loc, f"bad argument '{t}'")
            if mn in [x[0] for x in members]:
                raise DecodeError(loc, f"argument '{mn}' repeated")
            members.append((mn, ty))
        self.argsets[name] = ArgSet(name, members, extern, loc)

    def parse_spec(self, toks, loc, is_format):
        if is_format:
            name = toks[0][1:]
            if not RE_IDENT.match(name):
                raise DecodeError(loc, f"bad format name '{toks[0]}'")
            if name in self.formats:
                raise DecodeError(loc, f'format @{name} already defined')
            spec = Spec(name, loc)
        else:
            name = toks[0]
            spec = Pattern(name, loc)
        width = self.width
        pos = width          # next bit to fill is pos-1
        inline = {}
        assigns = {}
        for t in toks[1:]:
            if RE_BITS.match(t):
                for c in t:
                    pos -= 1
                    if pos < 0:
                        break
                    if c in '01':
                        spec.mask |= 1 << pos
                        if c == '1':
                            spec.value |= 1 << pos
                continue
            m = RE_INLINE.match(t)
            if m:
                ln = int(m.group(3))
                pos -= ln
                if ln == 0:
                    raise DecodeError(loc, f"field '{t}' has no bits")
                if pos >= 0:
                    f = Field(m.group(1), [(pos, ln, m.group(2) == 's')],
                              None, loc)
                    if m.group(1) in inline:
                        raise DecodeError(loc, f"field '{m.group(1)}' "
                                          "given twice")
                    inline[m.group(1)] = f
                continue
            if t[0] == '@':
                if is_format:
                    raise DecodeError(loc, 'a format cannot use another format')
                if spec.fmt:
                    raise DecodeError(loc, 'more than one format')
                fn = t[1:]
                if fn not in self.formats:
                    raise DecodeError(loc, f'undefined format @{fn}')
                spec.fmt = self.formats[fn]
                continue
            if t[0] == '&':
                an = t[1:]
                if an not in self.argsets:
                    raise DecodeError(loc, f'undefined argument set &{an}')
                if spec.argset:
                    raise DecodeError(loc, 'more than one argument set')
                spec.argset = an
                continue
            if t[0] == '%':
                fn = t[1:]
                if fn not in self.fields:
                    raise DecodeError(loc, f'undefined field %{fn}')
                assigns[fn] = self.fields[fn]
                continue
            m = RE_ASSIGN.match(t)
            if m:
                an, rhs = m.group(1), m.group(2)
                if an in assigns:
                    raise DecodeError(loc, f"argument '{an}' assigned twice")
                if rhs[0] == '%':
                    if rhs[1:] not in self.fields:
                        raise DecodeError(loc, f'undefined field {rhs}')
                    assigns[an] = self.fields[rhs[1:]]
                else:
                    assigns[an] = Const(parse_int(rhs, loc))
                continue
            raise DecodeError(loc, f"unexpected token '{t}'")
        if pos != 0:
            used = width - pos
            raise DecodeError(loc, f'{"format" if is_format else "pattern"} '
                              f'{name} has {used} bits, the instruction '
                              f'has {width}')
        for k in inline:
            if k in assigns:
                raise DecodeError(loc, f"argument '{k}' given twice")
        own = dict(inline)
        own.update(assigns)

        if is_format:
            spec.fields = own
            if spec.argset is None:
                aname = name
                if aname in self.argsets:
                    raise DecodeError(loc, f'format @{name} needs an argument '
                                      f'set, but &{name} exists: name it')
                self.argsets[aname] = ArgSet(aname,
                                             [(k, 'int') for k in own],
                                             False, loc, implicit=True)
                spec.argset = aname
            self.check_args(spec, loc)
            self.formats[name] = spec
            return

        fmt = spec.fmt
        fields = {}
        if fmt:
            fmask = fmt.mask
            if (spec.value ^ fmt.value) & spec.mask & fmask:
                raise DecodeError(loc, f'fixed bits of {name} conflict with '
                                  f'format @{fmt.name}')
            spec.mask |= fmask
            spec.value |= fmt.value
            fields.update(fmt.fields)
        fields.update(own)
        spec.fields = fields
        if spec.argset is None:
            if fmt and all(k in self.argsets[fmt.argset].names() for k in own):
                spec.argset = fmt.argset
            else:
                aname = name
                prev = self.argsets.get(aname)
                members = [(k, 'int') for k in fields]
                if prev and not (prev.implicit and prev.members == members):
                    raise DecodeError(loc, f'pattern {name} needs an implicit '
                                      f'argument set, but &{name} exists '
                                      'with other members')
                if not prev:
                    self.argsets[aname] = ArgSet(aname, members, False, loc,
                                                 implicit=True)
                spec.argset = aname
        self.check_args(spec, loc)
        self.stack[-1].items.append(spec)
        self.patterns.append(spec)

    def check_args(self, spec, loc):
        aset = self.argsets[spec.argset]
        names = aset.names()
        for k in spec.fields:
            if k not in names:
                raise DecodeError(loc, f"'{k}' is not a member of argument "
                                  f"set &{aset.name}")
        if isinstance(spec, Pattern):
            for k in names:
                if k not in spec.fields:
                    raise DecodeError(loc, f"member '{k}' of &{aset.name} is "
                                      f"not set by {spec.name}")


# ---- checks ----------------------------------------------------------------

def overlaps(a, b):
    return ((a.value ^ b.value) & a.mask & b.mask) == 0


def check_group(g, errors, width):
    """Patterns in a non-overlapping group must not overlap pairwise."""
    for it in g.items:
        if isinstance(it, Group):
            check_group(it, errors, width)
    if g.overlap:
        return
    items = g.items
    leaves = [it.leaves() for it in items]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a, b = items[i], items[j]
            if not overlaps(a, b):
                continue
            for la in leaves[i]:
                for lb in leaves[j]:
                    if overlaps(la, lb):
                        ex = (la.value | lb.value) & ((1 << width) - 1)
                        errors.append(DecodeError(
                            lb.loc, f'{lb.name} overlaps {la.name} '
                            f'(line {la.loc[1]}), e.g. 0x{ex:0{width // 4}x}; '
                            'put them in a { } group if that is intended'))
                        if len(errors) > 20:
                            return


# ---- decision tree ---------------------------------------------------------

class Leaf:
    def __init__(self, item):
        self.item = item


class Switch:
    def __init__(self, mask, cases):
        self.mask = mask
        self.cases = cases          # list of (value, node)


class Seq:
    def __init__(self, items):
        self.items = items


def build_tree(items, known, width):
    full = (1 << width) - 1
    if len(items) == 1:
        return Leaf(items[0])
    common = full & ~known
    for it in items:
        common &= it.mask
    if common:
        mask = common
    else:
        counts = {}
        for it in items:
            m = it.mask & ~known & full
            while m:
                b = m & -m
                counts[b] = counts.get(b, 0) + 1
                m ^= b
        if not counts or max(counts.values()) < 2:
            # Nothing left to switch on: the rest are tried in order.
            return Seq(items)
        best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        mask = best
    buckets = {}
    order = []
    for it in items:
        if (it.mask & mask) == mask:
            keys = [it.value & mask]
        else:
            # Don't-care in part of the switch mask: goes to every case that
            # agrees with its fixed part (only happens for single-bit masks).
            keys = [v for v in (0, mask) if (v ^ it.value) & it.mask & mask == 0]
        for k in keys:
            if k not in buckets:
                buckets[k] = []
                order.append(k)
            buckets[k].append(it)
    cases = [(k, build_tree(buckets[k], known | mask, width))
             for k in sorted(order)]
    return Switch(mask, cases)


# ---- C output --------------------------------------------------------------

class Emitter:
    def __init__(self, parser, args):
        self.p = parser
        self.a = args
        self.width = args.insnwidth
        self.out = []
        self.insn_t = f'uint{self.width}_t'

    def w(self, s=''):
        self.out.append(s)

    def hexv(self, v):
        return f'0x{v:0{self.width // 4}x}'

    def emit(self):
        p = self.p
        dec = self.a.decode
        W = self.width
        self.w(f'/* Generated by scripts/decodetree.py from {self.a.input_name}.'
               ' Do not edit. */')
        self.w()
        self.w('#include <stdbool.h>')
        self.w('#include <stdint.h>')
        self.w()
        self.w(f'#ifndef DECODETREE_HELPERS{W}')
        self.w(f'#define DECODETREE_HELPERS{W}')
        self.w(f'static inline uint32_t dt_extract{W}(uint32_t v, unsigned pos, '
               'unsigned len)')
        self.w('{')
        self.w('    return (v >> pos) & (len >= 32 ? ~0u : (1u << len) - 1);')
        self.w('}')
        self.w()
        self.w(f'static inline int32_t dt_sextract{W}(uint32_t v, unsigned pos, '
               'unsigned len)')
        self.w('{')
        self.w('    return (int32_t)(v << (32 - pos - len)) >> (32 - len);')
        self.w('}')
        self.w('#endif')
        self.w()

        # Argument sets actually used by a pattern, in definition order.
        used = []
        for pat in p.patterns:
            if pat.argset not in used:
                used.append(pat.argset)
        order = [n for n in p.argsets if n in used]
        for n in order:
            aset = p.argsets[n]
            if aset.extern:
                continue
            g = aset.guard()
            self.w(f'#ifndef {g}')
            self.w(f'#define {g}')
            self.w('typedef struct {')
            for mn, ty in aset.members:
                self.w(f'    {ty} {mn};')
            self.w(f'}} arg_{n};')
            self.w('#endif')
            self.w()

        # trans_ functions
        seen = {}
        for pat in p.patterns:
            if pat.name in seen:
                if seen[pat.name] != pat.argset:
                    raise DecodeError(pat.loc, f'{pat.name} uses &{pat.argset} '
                                      f'but another {pat.name} uses '
                                      f'&{seen[pat.name]}')
                continue
            seen[pat.name] = pat.argset
        for name, aset in seen.items():
            if self.a.trans_stubs:
                members = p.argsets[aset].members
                fmt = ' '.join(f'{m}=%lld' for m, _ in members)
                vals = ''.join(f', (long long)a->{m}' for m, _ in members)
                if not members:
                    fmt, vals = '%s', ', ""'
                self.w(f'static bool trans_{name}(DisasContext *ctx, '
                       f'arg_{aset} *a)')
                self.w('{')
                self.w(f'    return decodetree_trans_stub(ctx, "{name}", '
                       f'"{fmt}"{vals});')
                self.w('}')
            else:
                self.w(f'static bool trans_{name}(DisasContext *ctx, '
                       f'arg_{aset} *a);')
        self.w()

        # Extraction functions, one per format used.
        fmts = []
        for pat in p.patterns:
            if pat.fmt and pat.fmt.name not in fmts:
                fmts.append(pat.fmt.name)
        for fn in fmts:
            f = p.formats[fn]
            self.w(f'static void {dec}_extract_{fn}(DisasContext *ctx, '
                   f'arg_{f.argset} *a, {self.insn_t} insn)')
            self.w('{')
            self.w('    (void)ctx;')
            for k, v in f.fields.items():
                self.w(f'    a->{k} = {v.expr(W)};')
            self.w('}')
            self.w()

        # Decode function.
        proto = (f'bool {dec}(DisasContext *ctx, {self.insn_t} insn)')
        if self.a.static_decode:
            proto = 'static ' + proto
        else:
            self.w(proto + ';')
        self.w(proto)
        self.w('{')
        self.w('    union {')
        for n in order:
            self.w(f'        arg_{n} f_{n};')
        self.w('    } u;')
        self.w()
        p.root.compute()
        self.gen_items(p.root, 0, 0, 1)
        self.w('    return false;')
        self.w('}')
        return '\n'.join(self.out) + '\n'

    # known/kval: the bits the enclosing switches have tested, and their
    # values.  An item whose fixed bits contradict them cannot match here
    # (this happens to the members of a group that was placed in every case
    # of a switch on a bit the group as a whole does not fix).

    @staticmethod
    def reachable(it, known, kval):
        return ((it.value ^ kval) & it.mask & known) == 0

    def gen_items(self, group, known, kval, ind):
        """Emit code trying group's items: as a tree when they do not
        overlap, in order when they do."""
        items = [it for it in group.items if self.reachable(it, known, kval)]
        if group.overlap:
            for it in items:
                self.gen_item(it, known, kval, ind)
        elif items:
            tree = build_tree(items, known, self.width)
            self.gen_node(tree, known, kval, ind)

    def gen_item(self, it, known, kval, ind):
        if isinstance(it, Group):
            self.gen_items(it, known, kval, ind)
        elif self.reachable(it, known, kval):
            self.gen_pattern(it, known, ind)

    def gen_node(self, node, known, kval, ind):
        sp = '    ' * ind
        if isinstance(node, Leaf):
            self.gen_item(node.item, known, kval, ind)
        elif isinstance(node, Seq):
            for it in node.items:
                self.gen_item(it, known, kval, ind)
        else:
            self.w(f'{sp}switch (insn & {self.hexv(node.mask)}) {{')
            for val, child in node.cases:
                self.w(f'{sp}case {self.hexv(val)}:')
                self.gen_node(child, known | node.mask, kval | val, ind + 1)
                self.w(f'{sp}    break;')
            self.w(f'{sp}}}')

    def gen_pattern(self, pat, known, ind):
        sp = '    ' * ind
        W = self.width
        check = pat.mask & ~known & ((1 << W) - 1)
        self.w(f'{sp}/* {pat.loc[0]}:{pat.loc[1]}: {pat.name} */')
        if check:
            self.w(f'{sp}if ((insn & {self.hexv(check)}) == '
                   f'{self.hexv(pat.value & check)}) {{')
            ind += 1
            sp = '    ' * ind
        var = f'u.f_{pat.argset}'
        rest = pat.fields
        if pat.fmt:
            self.w(f'{sp}{self.a.decode}_extract_{pat.fmt.name}(ctx, &{var}, '
                   'insn);')
            rest = {k: v for k, v in pat.fields.items()
                    if pat.fmt.fields.get(k) is not v}
        for k, v in rest.items():
            self.w(f'{sp}{var}.{k} = {v.expr(W)};')
        self.w(f'{sp}if (trans_{pat.name}(ctx, &{var})) {{')
        self.w(f'{sp}    return true;')
        self.w(f'{sp}}}')
        if check:
            ind -= 1
            self.w(f'{"    " * ind}}}')


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate an instruction '
                                 'decoder from a decodetree pattern file.')
    ap.add_argument('input')
    ap.add_argument('-o', '--output')
    ap.add_argument('--decode', default='decode',
                    help='name of the decode function (default: decode)')
    ap.add_argument('--insnwidth', type=int, default=32, choices=(16, 32))
    ap.add_argument('--static-decode', action='store_true',
                    help='make the decode function static')
    ap.add_argument('--trans-stubs', action='store_true',
                    help='define every trans_ function as a call to '
                    'decodetree_trans_stub(ctx, name, fmt, ...), fmt being '
                    '"a=%%lld b=%%lld" for the arguments (for tests)')
    args = ap.parse_args(argv)
    if not RE_IDENT.match(args.decode):
        ap.error(f"bad --decode name '{args.decode}'")
    args.input_name = args.input.split('/')[-1]
    try:
        with open(args.input, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        print(f'decodetree: {e}', file=sys.stderr)
        return 1
    p = Parser(args.input, args.insnwidth)
    try:
        p.parse(text)
        errors = []
        check_group(p.root, errors, args.insnwidth)
        if errors:
            for e in errors:
                print(f'{e.loc[0]}:{e.loc[1]}: error: {e.msg}', file=sys.stderr)
            return 1
        if not p.patterns:
            raise DecodeError((args.input, 1), 'no patterns')
        text = Emitter(p, args).emit()
    except DecodeError as e:
        print(f'{e.loc[0]}:{e.loc[1]}: error: {e.msg}', file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
