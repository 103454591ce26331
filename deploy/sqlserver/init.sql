-- Run by the one-shot "sqlserver-init" service in docker-compose.yml as sa:
--   sqlcmd ... -b -i /deploy/init.sql -v AppPassword="$CONTACTCENTER_DB_PASSWORD"
-- Creates the ContactCenter database and the "contactcenter" login/user the app connects
-- with. Idempotent: safe to run on every `docker compose up`; it re-applies the password.
-- The schema itself (EF Core SQL Server migrations, Quartz tables) is the app's business.
-- The password must not contain a single quote ('), a semicolon (;) or a dollar sign ($).

SET NOCOUNT ON;
GO

IF DB_ID(N'ContactCenter') IS NULL
BEGIN
    PRINT N'Creating database ContactCenter';
    CREATE DATABASE [ContactCenter];
END
GO

IF SUSER_ID(N'contactcenter') IS NULL
BEGIN
    PRINT N'Creating login contactcenter';
    CREATE LOGIN [contactcenter]
        WITH PASSWORD = N'$(AppPassword)',
             DEFAULT_DATABASE = [ContactCenter],
             CHECK_POLICY = ON,
             CHECK_EXPIRATION = OFF;
END
ELSE
BEGIN
    ALTER LOGIN [contactcenter] WITH PASSWORD = N'$(AppPassword)';
    ALTER LOGIN [contactcenter] ENABLE;
END
GO

USE [ContactCenter];
GO

IF USER_ID(N'contactcenter') IS NULL
BEGIN
    PRINT N'Creating user contactcenter';
    CREATE USER [contactcenter] FOR LOGIN [contactcenter];
END
GO

-- db_owner inside this one database only (not sysadmin): the app applies its own
-- migrations and owns the Quartz and Data Protection tables.
ALTER ROLE [db_owner] ADD MEMBER [contactcenter];
GO
