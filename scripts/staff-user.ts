import readline from 'node:readline';
import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createAuditLog } from '../server/staff/audit.js';
import { createUserStore, ROLES, UserError, type Role } from '../server/staff/users.js';
import { PasswordPolicyError } from '../server/staff/passwords.js';

const USAGE = `Usage: npm run staff:user -- create --username NAME [--role admin|editor|reviewer]
  The password is read from the STAFF_PASSWORD environment variable, or asked on the terminal.
  Creates the first admin of a new installation; later users are managed in /staff.`;

async function askPassword(): Promise<string> {
  if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
  if (!process.stdin.isTTY) {
    // Piped input: read one line.
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  muted._writeToOutput = () => {};
  process.stderr.write('Password: ');
  const pw = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return pw;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args[0] !== 'create' || !opt('--username')) {
    console.error(USAGE);
    return 2;
  }
  const role = (opt('--role') ?? 'admin') as Role;
  if (!ROLES.includes(role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  const password = await askPassword();
  const db = openDatabase(loadConfigOrExit().databasePath);
  try {
    const user = await createUserStore(db).create(opt('--username')!, password, role);
    createAuditLog(db).record(null, 'user.create.cli', user.username, { role });
    console.log(`Created ${user.role} "${user.username}".`);
    return 0;
  } catch (err) {
    if (err instanceof UserError || err instanceof PasswordPolicyError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

main().then((c) => process.exit(c), (e) => (console.error(e instanceof Error ? e.message : e), process.exit(1)));
