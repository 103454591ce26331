using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "TimelineEntries",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeclinedAgentIds",
                table: "Conversations",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "OfferExpiresAt",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OfferedAgentId",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequiredSkills",
                table: "Conversations",
                type: "TEXT",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OfferedAgentId_OfferExpiresAt",
                table: "Conversations",
                columns: new[] { "OfferedAgentId", "OfferExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_OfferedAgentId_OfferExpiresAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "TimelineEntries");

            migrationBuilder.DropColumn(
                name: "DeclinedAgentIds",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "OfferExpiresAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "OfferedAgentId",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "RequiredSkills",
                table: "Conversations");
        }
    }
}
