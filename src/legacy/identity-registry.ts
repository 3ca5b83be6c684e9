// Which planned user holds each phone and email. User.phone and User.email are unique, so every planned
// user claims its identifiers here first; a second claimant is told no and reports the conflict.
export class IdentityRegistry {
  private readonly holders = new Map<string, string>();

  holderOfPhone(phone: string | null): string | undefined {
    return phone === null ? undefined : this.holders.get(`phone:${phone}`);
  }

  holderOfEmail(email: string | null): string | undefined {
    return email === null ? undefined : this.holders.get(`email:${email}`);
  }

  claimPhone(phone: string | null, userKey: string): boolean {
    return phone === null ? false : this.claim(`phone:${phone}`, userKey);
  }

  claimEmail(email: string | null, userKey: string): boolean {
    return email === null ? false : this.claim(`email:${email}`, userKey);
  }

  release(phone: string | null, email: string | null, userKey: string): void {
    if (phone !== null && this.holders.get(`phone:${phone}`) === userKey) this.holders.delete(`phone:${phone}`);
    if (email !== null && this.holders.get(`email:${email}`) === userKey) this.holders.delete(`email:${email}`);
  }

  private claim(identifier: string, userKey: string): boolean {
    const holder = this.holders.get(identifier);
    if (holder !== undefined) return holder === userKey;
    this.holders.set(identifier, userKey);
    return true;
  }
}
