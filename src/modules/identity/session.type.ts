import { Field, ID, ObjectType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ALL_ROLES } from '../../auth/roles.js';
import { ConnectionType } from '../../graphql/connection.type.js';

/** A live session as the API shows it; `userId` is for the ownership check only. */
@ObjectType('Session', { simpleResolvers: true, description: 'A signed-in device: one session, from sign-in until it is ended or expires (30 days).' })
export class DeviceSession {
  userId!: string;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => ID, { description: "The session's id, for revokeSession." })
  id!: string;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, {
    description:
      'The device as its app named itself (x-client-name and x-client-version), else the browser and system its user ' +
      'agent names, e.g. "Chrome 120 on Windows 10"; "Unknown device" when neither says.',
  })
  device!: string;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => Date, { description: 'When the session was signed in.' })
  createdAt!: Date;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => Date, { description: 'When the session was last used, to the minute: it is recorded at most once a minute.' })
  lastUsedAt!: Date;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, { nullable: true, description: 'The client address of that last use (as TRUST_PROXY decides it).' })
  lastIpAddress!: string | null;

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => Boolean, { description: 'True for the session making this request.' })
  current!: boolean;
}

export const SessionConnection = ConnectionType('Session', DeviceSession);
