import { describe, expect, it } from 'vitest';
import { ReceiverSlots } from '../src/delivery.js';

describe('ReceiverSlots', () => {
  it('count each origin apart and know a receiver is busy before its name is resolved', () => {
    const s = new ReceiverSlots(2);
    const r1 = s.take('https://a.example/hook')!;
    const r2 = s.take('https://a.example/other')!;
    expect(s.take('https://a.example/third')).toBeNull();
    expect(s.busy('https://a.example/x')).toBe(true);
    // Another port or host is another receiver (hosted receivers share addresses, not origins).
    expect(s.busy('https://a.example:8443/x')).toBe(false);
    expect(s.take('https://b.example/hook')).not.toBeNull();
    r1();
    expect(s.busy('https://a.example/hook')).toBe(false);
    expect(s.take('https://a.example/hook')).not.toBeNull();
    r2();
  });
});
