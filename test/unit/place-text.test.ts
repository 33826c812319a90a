import { describe, expect, it } from 'vitest';
import { joinPlace } from '../../electron/core/providers/kit/fields.ts';

describe('joinPlace', () => {
  it('names each piece of a place once', () => {
    // EconJobMarket's virtual-interview venue fills the address and the city with "Online".
    expect(joinPlace(['Zoom meeting room', null, 'Online', 'Online'])).toBe('Zoom meeting room, Online');
    expect(joinPlace(['Hilton Atlanta', 'Suite 1204', '255 Courtland St NE, Atlanta', 'atlanta'])).toBe('Hilton Atlanta, Suite 1204, 255 Courtland St NE, Atlanta');
  });

  it('leaves out what is missing, and gives null for nothing', () => {
    expect(joinPlace(['  ', undefined, 'Room 3'])).toBe('Room 3');
    expect(joinPlace([null, ''])).toBeNull();
  });
});
