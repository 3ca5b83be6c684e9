import { ConnectionType } from '../../graphql/connection.type.js';
import { Customer } from './customer.type.js';

export const CustomerConnection = ConnectionType('Customer', Customer);
