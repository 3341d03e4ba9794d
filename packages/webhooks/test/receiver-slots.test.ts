import { describe, expect, it } from 'vitest';
import { ReceiverSlots } from '../src/delivery.js';

describe('ReceiverSlots', () => {
  it('count each origin apart and know a receiver is busy before its name is resolved', () => {
    const s = new ReceiverSlots(2, 100);
    const r1 = s.take('https://a.example/hook', 't')!;
    const r2 = s.take('https://a.example/other', 't')!;
    expect(s.take('https://a.example/third', 't')).toBeNull();
    expect(s.busy('https://a.example/x', 't')).toBe(true);
    // Another port or host is another receiver (hosted receivers share addresses, not origins).
    expect(s.busy('https://a.example:8443/x', 't')).toBe(false);
    expect(s.take('https://b.example/hook', 't')).not.toBeNull();
    r1();
    expect(s.busy('https://a.example/hook', 't')).toBe(false);
    expect(s.take('https://a.example/hook', 't')).not.toBeNull();
    r2();
  });

  it('give a tenant one share across all its receiver names, and other tenants theirs', () => {
    // A wildcard name per job would otherwise get a receiver share each.
    const s = new ReceiverSlots(2, 3);
    const held = [1, 2, 3].map((i) => s.take(`https://job${i}.evil.example/`, 'evil')!);
    expect(held.every(Boolean)).toBe(true);
    expect(s.take('https://job4.evil.example/', 'evil')).toBeNull();
    expect(s.busy('https://job5.evil.example/', 'evil')).toBe(true);
    // A refused take gives back the receiver slot it took.
    expect(s.busy('https://job4.evil.example/', 'other')).toBe(false);
    expect(s.take('https://job4.evil.example/', 'other')).not.toBeNull();
    expect(s.take('https://good.example/', 'good')).not.toBeNull();
    held[0]!();
    expect(s.take('https://job4.evil.example/', 'evil')).not.toBeNull();
  });
});
