import type { FastifyRequest } from 'fastify';
import type { AdminActor, AdminIdentity, AdminUsers } from '../../core/admin/index.js';
import { CoreError } from '../../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    admin?: AdminIdentity;
  }
}

/** preHandler for every /admin route but sign-in: a live admin-session token, or 401. */
export function requireAdmin(adminUsers: AdminUsers) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const token = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new CoreError('unauthorized', 'Admin session required: sign in at POST /admin/login');
    request.admin = await adminUsers.authenticate(token);
  };
}

/** The signed-in admin and the client IP, for the audit log. */
export function actorOf(request: FastifyRequest): AdminActor {
  if (!request.admin) throw new CoreError('unauthorized', 'Admin session required');
  return { adminId: request.admin.id, ip: request.ip };
}
