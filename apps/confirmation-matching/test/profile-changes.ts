import type request from 'supertest';

/** Two people: one proposes a profile change, the other approves it (maker-checker). */
export const MAKER = { Authorization: 'Bearer dev-ops' };
export const CHECKER = { Authorization: 'Bearer dev-ops-2' };

/**
 * Sets a matching profile the only way there is: proposes it (202, PENDING) with one ops key and
 * approves it with another, then answers with the profile as it now applies.
 */
export async function putProfile(http: () => ReturnType<typeof request>, name: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const proposed = await http().put(`/api/v1/matching-profiles/${name}`).set(MAKER).send(body).expect(202);
  const approved = await http().post(`/api/v1/matching-profiles/${name}/changes/${proposed.body.changeId}/approve`).set(CHECKER).expect(200);
  if (approved.body.status !== 'APPLIED') throw new Error(`profile change ${proposed.body.changeId} is ${approved.body.status}, not APPLIED`);
  return (await http().get(`/api/v1/matching-profiles/${name}`).set(MAKER).expect(200)).body;
}
