/**
 * The median as statistics defines it: the mean of the two middle values of an even-length list.
 * 0 for an empty list.
 */
export const median = (v: readonly number[]): number => {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The upper of the two middle values of an even-length list (the middle one of an odd-length
 * list): always one of the values, e.g. a row height some row really has. The layout analyzer's
 * features are defined with it and its models were trained on them, so it stays separate from
 * `median`. 0 for an empty list.
 */
export const upperMedian = (v: readonly number[]): number => {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
