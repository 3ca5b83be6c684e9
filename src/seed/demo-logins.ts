// The demo data set's fixed logins (documented in README.md). Never use them outside a demo database.
import type { Role } from '../auth/roles.js';

/** One password for every demo login: 12+ characters, not a common password, no email name in it. */
export const DEMO_PASSWORD = 'fresh milk at dawn 2026';

export interface DemoLogin {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly phone?: string;
}

export const DEMO_STAFF: readonly DemoLogin[] = [
  { email: 'admin@dairy.example', name: 'Asha Admin', roles: ['ADMIN'] },
  { email: 'marketing@dairy.example', name: 'Meena Marketing', roles: ['MARKETING_STAFF'] },
  { email: 'ravi.delivery@dairy.example', name: 'Ravi Kumar', roles: ['DELIVERY_BOY'], phone: '+919900000101' },
  { email: 'suresh.delivery@dairy.example', name: 'Suresh Gowda', roles: ['DELIVERY_BOY'], phone: '+919900000102' },
  { email: 'imran.delivery@dairy.example', name: 'Imran Pasha', roles: ['DELIVERY_BOY', 'CUSTOMER'], phone: '+919900000103' },
  { email: 'gokul@dairy.example', name: 'Gokul Dairy Farms', roles: ['SUPPLIER'], phone: '+919900000201' },
  { email: 'greenbasket@dairy.example', name: 'Green Basket Grocers', roles: ['SUPPLIER'], phone: '+919900000202' },
];

/** Customer number 1 (ACTIVE, months of orders) can sign in with a password too. */
export const DEMO_CUSTOMER_EMAIL = 'customer@dairy.example';

export function demoLoginLines(): string[] {
  const rows = [...DEMO_STAFF.map((login) => [login.roles.join('+'), login.email]), ['CUSTOMER', DEMO_CUSTOMER_EMAIL]];
  const width = Math.max(...rows.map(([roles]) => roles.length));
  return [`demo logins (password for all: "${DEMO_PASSWORD}"):`, ...rows.map(([roles, email]) => `  ${roles.padEnd(width)}  ${email}`)];
}
