import { describe, expect, it } from 'vitest';
import { KeyedSlots } from '../src/index.js';

describe('KeyedSlots', () => {
  it('allows `limit` per key, counts keys apart, and takes each slot back once', () => {
    const s = new KeyedSlots(2);
    const a1 = s.take('a')!;
    const a2 = s.take('a')!;
    expect(s.take('a')).toBeNull();
    expect(s.take('b')).not.toBeNull();
    a1();
    a1(); // a second call gives nothing back twice
    const a3 = s.take('a');
    expect(a3).not.toBeNull();
    expect(s.take('a')).toBeNull();
    a2();
    a2();
    expect(s.take('a')).not.toBeNull();
    expect(s.take('a')).toBeNull();
    expect(new KeyedSlots(0).take('x')).not.toBeNull(); // 0: no limit
  });
});
