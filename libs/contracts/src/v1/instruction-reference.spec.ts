import { instructionIdOfReference, instructionReference } from './instruction-reference';

describe('instruction references', () => {
  const id = '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b';

  it('renders an instruction id as 32 upper-case hex digits and reads it back', () => {
    expect(instructionReference(id)).toBe('3F2B8C1E4D5A4E6F8A9B0C1D2E3F4A5B');
    expect(instructionIdOfReference(instructionReference(id))).toBe(id);
  });

  it('reads the id itself, in any case', () => {
    expect(instructionIdOfReference(id)).toBe(id);
    expect(instructionIdOfReference(id.toUpperCase())).toBe(id);
  });

  it('names no instruction for anything else', () => {
    expect(instructionIdOfReference('NONREF')).toBeNull();
    expect(instructionIdOfReference('INS-1')).toBeNull();
  });
});
