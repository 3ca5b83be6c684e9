-- AlterTable
ALTER TABLE "LoginCounter" DROP COLUMN "windowStart",
ADD COLUMN     "hitTimes" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[];
