-- AlterEnum
ALTER TYPE "MessageTemplate" ADD VALUE 'NEW_SIGN_IN';

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "targetUserId" UUID;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "deviceKey" TEXT,
ADD COLUMN     "deviceLabel" TEXT,
ADD COLUMN     "lastIpAddress" TEXT;

-- CreateIndex
CREATE INDEX "AuditLog_actorUserId_at_idx" ON "AuditLog"("actorUserId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_targetUserId_at_idx" ON "AuditLog"("targetUserId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE INDEX "Session_userId_deviceKey_idx" ON "Session"("userId", "deviceKey");
