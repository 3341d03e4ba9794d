import { describe, expect, it } from 'vitest';
import { ReceiverSlots } from '../src/delivery.js';

describe('ReceiverSlots', () => {
  it('count each origin apart', () => {
    const s = new ReceiverSlots(2, 100);
    const r1 = s.take('https://a.example/hook', 't')!;
    const r2 = s.take('https://a.example/other', 't')!;
    expect(s.take('https://a.example/third', 't')).toBeNull();
    // Another port or host is another receiver (hosted receivers share addresses, not origins).
    expect(s.take('https://a.example:8443/x', 't')).not.toBeNull();
    expect(s.take('https://b.example/hook', 't')).not.toBeNull();
    r1();
    expect(s.take('https://a.example/hook', 't')).not.toBeNull();
    r2();
  });

  it('give a tenant one share across all its receiver names, and other tenants theirs', () => {
    // A wildcard name per job would otherwise get a receiver share each.
    const s = new ReceiverSlots(2, 3);
    const held = [1, 2, 3].map((i) => s.take(`https://job${i}.evil.example/`, 'evil')!);
    expect(held.every(Boolean)).toBe(true);
    expect(s.take('https://job4.evil.example/', 'evil')).toBeNull();
    expect(s.take('https://job5.evil.example/', 'evil')).toBeNull();
    // A refused take gives back the receiver slot it took: job4's receiver still has both of its slots.
    const others = [s.take('https://job4.evil.example/', 'other'), s.take('https://job4.evil.example/', 'other2')];
    expect(others.every(Boolean)).toBe(true);
    for (const r of others) r!();
    expect(s.take('https://good.example/', 'good')).not.toBeNull();
    held[0]!();
    expect(s.take('https://job4.evil.example/', 'evil')).not.toBeNull();
  });
});
