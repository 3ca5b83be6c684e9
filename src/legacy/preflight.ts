// Before writing anything: would a new row take a phone or email that a row the import did not create
// already holds (an admin made with user:create, a customer registered in the new app)? Those would
// fail on a unique index halfway through; they are listed up front instead, for a person to resolve.
import type { PrismaClient } from '../generated/prisma/client.js';
import { linkKeyText } from './import-plan.js';
import type { ImportPlanResult } from './import-planner.js';
import { chunk, type LinkMap } from './writer-support.js';

export async function findIdentifierConflicts(prisma: PrismaClient, plan: ImportPlanResult, links: LinkMap): Promise<string[]> {
  const conflicts: string[] = [];
  const newUsers = [...plan.identities.users.values()].filter((user) => links.get(linkKeyText(user.key)) === undefined);
  const owners = new Map<string, string>();
  for (const user of newUsers) {
    if (user.phone) owners.set(`phone ${user.phone}`, linkKeyText(user.key));
    if (user.email) owners.set(`email ${user.email}`, linkKeyText(user.key));
  }
  for (const batch of chunk([...owners.keys()], 1000)) {
    const phones = batch.filter((key) => key.startsWith('phone ')).map((key) => key.slice(6));
    const emails = batch.filter((key) => key.startsWith('email ')).map((key) => key.slice(6));
    const held = await prisma.user.findMany({ where: { OR: [{ phone: { in: phones } }, { email: { in: emails } }] }, select: { phone: true, email: true } });
    for (const row of held) {
      if (row.phone && owners.has(`phone ${row.phone}`)) conflicts.push(`${owners.get(`phone ${row.phone}`)}: phone ${row.phone} belongs to an existing user`);
      if (row.email && owners.has(`email ${row.email}`)) conflicts.push(`${owners.get(`email ${row.email}`)}: email ${row.email} belongs to an existing user`);
    }
  }
  const newCustomers = plan.identities.customers.filter((customer) => links.get(linkKeyText(customer.key)) === undefined);
  const customerPhones = new Map<string, string>();
  for (const customer of newCustomers) {
    const phone = customer.phone;
    if (phone) customerPhones.set(phone, linkKeyText(customer.key));
  }
  for (const batch of chunk([...customerPhones.keys()], 1000)) {
    for (const row of await prisma.customer.findMany({ where: { phone: { in: batch } }, select: { phone: true } })) {
      conflicts.push(`${customerPhones.get(row.phone as string)}: phone ${row.phone} belongs to an existing customer`);
    }
  }
  return conflicts.sort();
}
