-- CreateEnum
CREATE TYPE "MessageAttemptStatus" AS ENUM ('SENT', 'DELIVERED', 'UNDELIVERED', 'FAILED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "MessageStatus" ADD VALUE 'DELIVERED';
ALTER TYPE "MessageStatus" ADD VALUE 'UNDELIVERED';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "whatsappOptIn" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "deliveryChannel" "MessageChannel",
ADD COLUMN     "fallbackAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "MessageAttempt" (
    "id" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "channel" "MessageChannel" NOT NULL,
    "template" "MessageTemplate" NOT NULL,
    "provider" TEXT NOT NULL,
    "providerMessageId" TEXT,
    "status" "MessageAttemptStatus" NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessageAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageAttempt_messageId_channel_idx" ON "MessageAttempt"("messageId", "channel");

-- CreateIndex
CREATE INDEX "MessageAttempt_createdAt_idx" ON "MessageAttempt"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageAttempt_provider_providerMessageId_key" ON "MessageAttempt"("provider", "providerMessageId");

-- CreateIndex
CREATE INDEX "OtpChallenge_createdAt_idx" ON "OtpChallenge"("createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_fallbackAt_idx" ON "OutboxMessage"("status", "fallbackAt");

-- AddForeignKey
ALTER TABLE "MessageAttempt" ADD CONSTRAINT "MessageAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboxMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
