/** A decoded page: packed RGB, 8 bits per channel, row-major, orientation already applied. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}
